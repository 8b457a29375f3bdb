namespace SessionKinds.PostgreSql;

/// <summary>
/// Test hooks of a commit in progress on the calling async flow (the engine harness sets them): a step can be made to
/// fail on the server — an error raised inside the transaction after the steps before it ran — and something can run
/// just before COMMIT is sent (a test drops the connection there). Unset, they cost one null check per commit.
/// </summary>
internal sealed class CommitHooks
{
    /// <summary>The hooks of commits started on this async flow.</summary>
    public static readonly AsyncLocal<CommitHooks?> Current = new();

    /// <summary>Called as each step's statements are added; <see langword="true"/> makes the server fail right before them.</summary>
    public Func<string, bool>? FailStep { get; init; }

    /// <summary>Called after every statement of the commit ran, just before COMMIT, with the server process id of the connection.</summary>
    public Func<int, ValueTask>? BeforeCommit { get; init; }
}

/// <summary>The steps of a commit, as <see cref="CommitHooks.FailStep"/> names them: the tables written, in order.</summary>
internal static class CommitSteps
{
    public const string Sessions = "sessions";
    public const string TranscriptEvents = "transcript_events";
    public const string HeartbeatState = "heartbeat_state";
    public const string RingEntries = "ring_entries";
    public const string CronRuns = "cron_runs";
    public const string OccurrenceClaims = "occurrence_claims";
}
