using System.Globalization;

namespace SessionKinds.Tool.Cli;

/// <summary>Durations on the command line: a whole number and a unit, <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>.</summary>
internal static class Durations
{
    public const string Syntax = "a whole number and a unit: s, m, h or d (e.g. 90s, 30m, 24h, 7d)";

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        var seconds = char.ToLowerInvariant(text[^1]) switch
        {
            's' => n,
            'm' => n * 60,
            'h' => n * 3600,
            'd' => n * 86400,
            _ => -1L,
        };
        if (seconds < 0 || n > 100_000_000)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>The shortest exact form: 7d, 36h, 90m, 45s.</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        return seconds % 86400 == 0 && seconds > 0 ? $"{seconds / 86400}d"
            : seconds % 3600 == 0 && seconds > 0 ? $"{seconds / 3600}h"
            : seconds % 60 == 0 && seconds > 0 ? $"{seconds / 60}m"
            : $"{seconds}s";
    }

    /// <summary>An age for messages: "12 s", "4 min", "3 h", "2 d".</summary>
    public static string Age(TimeSpan age) =>
        age.TotalSeconds < 120 ? $"{Math.Max(0, (long)age.TotalSeconds)} s"
        : age.TotalMinutes < 120 ? $"{(long)age.TotalMinutes} min"
        : age.TotalHours < 48 ? $"{(long)age.TotalHours} h"
        : $"{(long)age.TotalDays} d";
}
