namespace SessionKinds;

/// <summary>
/// Marks an <see cref="IAgentTask"/> as a scheduled (cron) session. A silent run (empty, <c>NO_REPLY</c>
/// or only <c>HEARTBEAT_OK</c>) is never written to <c>sessions.json</c> or a transcript.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CronSessionAttribute : Attribute
{
    /// <summary>Creates the attribute with a five-field cron schedule such as <c>"0 7 * * *"</c>.</summary>
    /// <param name="schedule">The schedule; it is checked at compile time (SKND0005; SKND0015 when it can never fire).</param>
    public CronSessionAttribute(string schedule)
    {
        Schedule = schedule;
    }

    /// <summary>The five-field cron schedule (minute hour day-of-month month day-of-week), in <see cref="TimeZone"/>.</summary>
    public string Schedule { get; }

    /// <summary>
    /// The IANA time zone the schedule is read in, e.g. <c>"Europe/Berlin"</c>; default <c>"UTC"</c>. Across a daylight
    /// saving change a time in the skipped hour runs once when the clocks have moved on, and a time in the repeated hour
    /// runs once. Checked at compile time (SKND0014) and when the host starts.
    /// </summary>
    public string TimeZone { get; set; } = ScheduleRules.DefaultTimeZone;
}
