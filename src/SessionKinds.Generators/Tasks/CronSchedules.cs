using System;
using System.Runtime.CompilerServices;

namespace SessionKinds.Generators.Tasks;

/// <summary>What checking a schedule found.</summary>
internal enum CronScheduleCheck
{
    Valid,
    Invalid,

    /// <summary>The cron parser (Cronos, shipped beside the analyzer) could not be loaded by this compiler host.</summary>
    ParserUnavailable,
}

/// <summary>Checks a schedule with the runtime's own parser (src/Shared/CronScheduleSyntax.cs), never throwing.</summary>
internal static class CronSchedules
{
    public static CronScheduleCheck Check(string? schedule, out string? error)
    {
        error = null;
        try
        {
            return TryParse(schedule, out error) ? CronScheduleCheck.Valid : CronScheduleCheck.Invalid;
        }
        catch (Exception ex) when (ex is System.IO.FileNotFoundException or System.IO.FileLoadException or BadImageFormatException or TypeLoadException)
        {
            return CronScheduleCheck.ParserUnavailable;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Generators and analyzers never throw (an exception surfaces as CS8785 or AD0001): a schedule the parser
            // chokes on is one it does not accept.
            error = "it does not parse";
            return CronScheduleCheck.Invalid;
        }
    }

    /// <summary>Whether a valid schedule ever fires (<c>0 0 31 2 *</c> does not); true when the parser cannot tell.</summary>
    public static bool CanFire(string schedule)
    {
        try
        {
            return ParseAndCheck(schedule);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return true;
        }
    }

    // Separate and not inlined, so that failing to load the cron parser happens inside the try above.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryParse(string? schedule, out string? error) => CronScheduleSyntax.TryParse(schedule, out _, out error);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool ParseAndCheck(string schedule) =>
        !CronScheduleSyntax.TryParse(schedule, out var expression, out _) || CronScheduleSyntax.CanFire(expression!);
}
