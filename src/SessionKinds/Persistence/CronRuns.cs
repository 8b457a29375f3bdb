namespace SessionKinds;

/// <summary>How one run of a cron task ended, as recorded in its run record.</summary>
public enum CronRunVerdict
{
    /// <summary>The reply had output; the session was persisted (<c>"output"</c>).</summary>
    Output = 0,

    /// <summary>The reply was silent; only this record was written (<c>"silent"</c>).</summary>
    Silent = 1,

    /// <summary>The task threw (<c>"failed"</c>); the summary holds the error.</summary>
    Failed = 2,

    /// <summary>The run did not happen, e.g. because the previous run was still going (<c>"skipped"</c>); the summary says why.</summary>
    Skipped = 3,
}

/// <summary>One run of a cron task.</summary>
/// <param name="Timestamp">When the run ended, to the second (records store epoch seconds).</param>
/// <param name="Task">The task's name (<see cref="SessionTaskInfo.Name"/>; <c>SessionKind.Cron</c> for sessions started with an explicit kind).</param>
/// <param name="Verdict">How the run ended.</param>
/// <param name="Summary">The reply, the error or the reason, shortened to <see cref="SessionRoutes.SummaryMaxChars"/> characters (may be empty).</param>
/// <param name="Duration">How long the run took, to the millisecond.</param>
public sealed record CronRun(DateTimeOffset Timestamp, string Task, CronRunVerdict Verdict, string Summary, TimeSpan Duration);

/// <summary>The cron run record of an agent (<c>cron-runs.json</c> in an agent folder), as read.</summary>
/// <param name="MaxEntries">How many runs the record keeps per task (the oldest fall out first); 0 when nothing was recorded yet.</param>
/// <param name="Runs">The runs, oldest first.</param>
public sealed record CronRunLog(int MaxEntries, IReadOnlyList<CronRun> Runs);
