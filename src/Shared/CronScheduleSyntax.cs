using Cronos;

namespace SessionKinds;

/// <summary>
/// The one place that decides whether a schedule is valid. The runtime and the analyzer (SKND0005)
/// both compile this file, so a schedule accepted at compile time is accepted at run time.
/// </summary>
internal static class CronScheduleSyntax
{
    /// <summary>Parses a five-field cron schedule; on failure <paramref name="error"/> says why.</summary>
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
            error = ex.Message;
            return false;
        }
    }
}
