using Cronos;

namespace SessionKinds;

/// <summary>
/// The one place that decides whether a schedule is valid. The runtime and the analyzer (SKND0005)
/// both compile this file, so a schedule accepted at compile time is accepted at run time.
/// </summary>
internal static class CronScheduleSyntax
{
    // Cronos starts every message with this sentence; the reason that follows is what users need.
    private const string ParserPrefix = "The given cron expression has an invalid format. ";

    /// <summary>Parses a five-field cron schedule; on failure <paramref name="error"/> says why (one clause, no final period).</summary>
    public static bool TryParse(string? text, out CronExpression? expression, out string? error)
    {
        expression = null;
        if (text is null || text.Trim().Length == 0)
        {
            error = "the schedule is empty; write five fields: minute hour day-of-month month day-of-week, e.g. \"0 7 * * *\"";
            return false;
        }

        try
        {
            expression = CronExpression.Parse(text.Trim(), CronFormat.Standard);
            error = null;
            return true;
        }
        catch (CronFormatException ex)
        {
            var reason = ex.Message.StartsWith(ParserPrefix, System.StringComparison.Ordinal) ? ex.Message.Substring(ParserPrefix.Length) : ex.Message;
            error = reason.TrimEnd('.');
            return false;
        }
    }

    /// <summary>
    /// Whether a parsed schedule ever fires. Five-field schedules repeat at the latest every 400 years (the Gregorian
    /// cycle), so one that has no occurrence after a fixed instant (2000-01-01 UTC) has none at all, e.g. <c>0 0 31 2 *</c>.
    /// The answer is the same on every machine and at every build.
    /// </summary>
    public static bool CanFire(CronExpression expression) =>
        expression.GetNextOccurrence(new System.DateTime(2000, 1, 1, 0, 0, 0, System.DateTimeKind.Utc)) is not null;
}
