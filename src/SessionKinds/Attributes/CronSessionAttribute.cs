namespace SessionKinds;

/// <summary>
/// Marks an <see cref="IAgentTask"/> as a scheduled (cron) session. A silent run (empty, <c>NO_REPLY</c>
/// or only <c>HEARTBEAT_OK</c>) is never written to <c>sessions.json</c> or a transcript.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CronSessionAttribute : Attribute
{
    /// <summary>Creates the attribute with a five-field cron schedule such as <c>"0 7 * * *"</c>.</summary>
    /// <param name="schedule">The schedule; it is checked at compile time (SKND0005).</param>
    public CronSessionAttribute(string schedule)
    {
        Schedule = schedule;
    }

    /// <summary>The five-field cron schedule (minute hour day-of-month month day-of-week), in UTC.</summary>
    public string Schedule { get; }
}
