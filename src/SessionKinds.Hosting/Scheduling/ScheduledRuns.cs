namespace SessionKinds.Hosting;

/// <summary>How a scheduled occurrence ended on this host.</summary>
public enum ScheduledRunVerdict
{
    /// <summary>A heartbeat acknowledgement (nothing persisted but the heartbeat state and ring).</summary>
    Ack = 0,

    /// <summary>A heartbeat alert, persisted.</summary>
    Alert = 1,

    /// <summary>A cron run with output, persisted.</summary>
    Output = 2,

    /// <summary>A silent cron run (only its run record).</summary>
    Silent = 3,

    /// <summary>The task threw, or could not be created; the occurrence is done (a cron run record says failed or skipped).</summary>
    Failed = 4,

    /// <summary>Skipped because the task's previous run was still going; the occurrence is done (a cron run record says skipped).</summary>
    Skipped = 5,

    /// <summary>Cancelled because the host stopped or lost its claim; nothing was written and the occurrence runs again.</summary>
    Cancelled = 6,

    /// <summary>Another host completed the occurrence while this one ran it (its claim had run out); nothing of this run was written.</summary>
    Superseded = 7,
}

/// <summary>An occurrence this host settled, as <see cref="IScheduledRunObserver"/> receives it.</summary>
/// <param name="Task">The task's name (<c>SessionTaskInfo.Name</c>).</param>
/// <param name="Kind"><see cref="SessionKind.Heartbeat"/> or <see cref="SessionKind.Cron"/>.</param>
/// <param name="ScheduledAt">When the occurrence was due.</param>
/// <param name="Verdict">How it ended.</param>
/// <param name="Attempt">The claim's attempt (1, or more after a takeover; 0 for a skip).</param>
/// <param name="Outcome">What the store wrote, for a run that completed (<see cref="ScheduledRunVerdict.Ack"/> to <see cref="ScheduledRunVerdict.Silent"/>).</param>
/// <param name="Detail">The error or the reason, when there is one.</param>
public sealed record ScheduledRunResult(string Task, SessionKind Kind, DateTimeOffset ScheduledAt, ScheduledRunVerdict Verdict, int Attempt, SessionOutcome? Outcome, string? Detail);

/// <summary>
/// Hears about every occurrence this host settles, e.g. to deliver a cron task's output or a heartbeat alert to the user's
/// channel. Register implementations in the service collection (any number); each is called once per settled occurrence,
/// after the store has committed it. An observer that throws is logged and does not affect the run.
/// </summary>
public interface IScheduledRunObserver
{
    /// <summary>Called after an occurrence was settled.</summary>
    /// <param name="result">What happened.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    ValueTask OnRunSettledAsync(ScheduledRunResult result, CancellationToken cancellationToken);
}

/// <summary>The state of one scheduled task on this host, from <see cref="SessionKindsStatus"/>.</summary>
/// <param name="Task">The task's name.</param>
/// <param name="Kind"><see cref="SessionKind.Heartbeat"/> or <see cref="SessionKind.Cron"/>.</param>
/// <param name="Schedule">The schedule as text (<c>every 30m, 08:00-22:00 Europe/Berlin</c>, <c>cron 0 7 * * * (Europe/Berlin)</c>).</param>
/// <param name="NextOccurrence">When the next occurrence is due, or <see langword="null"/> when the task never runs.</param>
/// <param name="IsRunning">Whether this host runs an occurrence of the task right now.</param>
public sealed record ScheduledTaskStatus(string Task, SessionKind Kind, string Schedule, DateTimeOffset? NextOccurrence, bool IsRunning);

/// <summary>What the scheduler of this host is doing: each scheduled task, its next occurrence and whether it runs (a singleton; for status pages).</summary>
public sealed class SessionKindsStatus
{
    private readonly SchedulerState _state;

    internal SessionKindsStatus(SchedulerState state) => _state = state;

    /// <summary>When the scheduler started, or <see langword="null"/> before it has.</summary>
    public DateTimeOffset? StartedAt => _state.StartedAt;

    /// <summary>The scheduled tasks, in the order they were added.</summary>
    public IReadOnlyList<ScheduledTaskStatus> Tasks => _state.Snapshot();
}
