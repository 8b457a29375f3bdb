using System.Globalization;
using System.Text;

namespace SessionKinds;

/// <summary>
/// The schedule rules of the attributes: a heartbeat's interval (<c>Every</c>), its active hours (<c>ActiveHours</c>) and
/// the time zone of a heartbeat or cron task (<c>TimeZone</c>). The runtime, the generator and the analyzers
/// (SKND0012–SKND0015) all compile this file, so a schedule accepted at compile time is accepted at run time, and the
/// values the generator bakes into a task are the ones these rules produced.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Every</b>: a duration, one or more <c>&lt;number&gt;&lt;unit&gt;</c> parts with the units <c>s</c>, <c>m</c>,
/// <c>h</c>, <c>d</c> (<c>"30m"</c>, <c>"1h"</c>, <c>"90s"</c>, <c>"1h30m"</c>); a bare number is minutes; zero
/// (<c>"0m"</c>, <c>"0"</c>) disables the heartbeat; otherwise from 10 seconds to 7 days. Default <c>"30m"</c>.</item>
/// <item><b>ActiveHours</b>: <c>HH:MM-HH:MM</c> in the task's time zone, two-digit hours 00–23 and minutes 00–59, the start
/// inclusive and the end exclusive; <c>24:00</c> is allowed as the end; a window whose end is before its start wraps
/// midnight (<c>"22:00-06:00"</c>); a window whose start equals its end contains no time, so the heartbeat never
/// fires. None (the default) means all day.</item>
/// <item><b>TimeZone</b>: an id of the IANA tz database, compared case-sensitively (<see cref="TimeZoneNames"/>). Default
/// <c>"UTC"</c>.</item>
/// </list>
/// </remarks>
internal static class ScheduleRules
{
    public const string DefaultEvery = "30m";
    public const long DefaultEverySeconds = 30 * 60;
    public const string DefaultTimeZone = "UTC";
    public const long MinEverySeconds = 10;
    public const long MaxEverySeconds = 7 * 24 * 60 * 60;
    public const int MinutesPerDay = 24 * 60;

    private const string DurationHelp = "write a number and a unit (s, m, h or d), e.g. \"30m\", \"1h\", \"90s\" or \"1h30m\" (a bare number is minutes; \"0m\" disables the heartbeat)";
    private const string WindowHelp = "write HH:MM-HH:MM with two-digit hours and minutes, e.g. \"08:00-22:00\" (start inclusive, end exclusive, \"24:00\" allowed as the end, a window may wrap midnight such as \"22:00-06:00\")";

    /// <summary>
    /// Parses a heartbeat interval. On failure <paramref name="error"/> says what is wrong and what to write, and
    /// <paramref name="suggestion"/> is the value the user most likely meant (<c>"30 min"</c> → <c>"30m"</c>), when one is obvious.
    /// </summary>
    public static bool TryParseEvery(string? text, out long seconds, out string? error, out string? suggestion)
    {
        suggestion = null;
        if (text is null || text.Trim().Length == 0)
        {
            seconds = 0;
            error = $"Every {Quote(text)} is empty; {DurationHelp}";
            return false;
        }

        if (!TryParseStrictDuration(text, out seconds))
        {
            if (TryParseLenientDuration(text, out var meant) && CheckEveryRange(meant) is null)
            {
                suggestion = FormatEvery(meant);
            }

            error = $"Every {Quote(text)} is not a duration; {DurationHelp}" + (suggestion is null ? string.Empty : $"; did you mean \"{suggestion}\"?");
            seconds = 0;
            return false;
        }

        if (CheckEveryRange(seconds) is { } range)
        {
            error = $"Every {Quote(text)} {range}";
            seconds = 0;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The canonical text of an interval: <c>"30m"</c>, <c>"1h30m"</c>, <c>"90s"</c> → <c>"1m30s"</c>, <c>"0m"</c>.</summary>
    public static string FormatEvery(long seconds)
    {
        if (seconds == 0)
        {
            return "0m";
        }

        var builder = new StringBuilder();
        Append(builder, seconds / 86400, 'd');
        Append(builder, seconds / 3600 % 24, 'h');
        Append(builder, seconds / 60 % 60, 'm');
        Append(builder, seconds % 60, 's');
        return builder.ToString();

        static void Append(StringBuilder builder, long value, char unit)
        {
            if (value > 0)
            {
                builder.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }
    }

    /// <summary>
    /// Parses active hours into minutes of the day (start 0–1439, end 0–1440). On failure <paramref name="error"/> says what
    /// is wrong and what to write, and <paramref name="suggestion"/> is the canonical form when the meaning is obvious
    /// (<c>"8:00-22:00"</c> → <c>"08:00-22:00"</c>).
    /// </summary>
    public static bool TryParseActiveHours(string? text, out int startMinute, out int endMinute, out string? error, out string? suggestion)
    {
        suggestion = null;
        startMinute = endMinute = 0;
        if (text is null || text.Trim().Length == 0)
        {
            error = $"ActiveHours {Quote(text)} is empty; {WindowHelp}, or leave ActiveHours out for all day";
            return false;
        }

        if (TryParseWindowShape(text, strict: true, out var start, out var end))
        {
            if (CheckWindowRange(start, end, out startMinute, out endMinute) is { } range)
            {
                startMinute = endMinute = 0;
                error = $"ActiveHours {Quote(text)}: {range}";
                return false;
            }

            error = null;
            return true;
        }

        if (TryParseWindowShape(text, strict: false, out start, out end) && CheckWindowRange(start, end, out var meantStart, out var meantEnd) is null)
        {
            suggestion = FormatActiveHours(meantStart, meantEnd);
        }

        error = $"ActiveHours {Quote(text)} is not a window; {WindowHelp}" + (suggestion is null ? string.Empty : $"; did you mean \"{suggestion}\"?");
        return false;
    }

    /// <summary>The canonical text of a window: <c>"08:00-22:00"</c>.</summary>
    public static string FormatActiveHours(int startMinute, int endMinute) => FormatTime(startMinute) + "-" + FormatTime(endMinute);

    /// <summary>Whether a time of day (minutes since local midnight, 0–1439) is inside the window.</summary>
    public static bool IsInWindow(int startMinute, int endMinute, int minuteOfDay) =>
        startMinute == endMinute ? false
        : startMinute < endMinute ? minuteOfDay >= startMinute && minuteOfDay < endMinute
        : minuteOfDay >= startMinute || minuteOfDay < endMinute;

    /// <summary>
    /// Whether <paramref name="id"/> is an IANA time zone id. On failure <paramref name="error"/> says what is wrong and what
    /// to write, and <paramref name="suggestion"/> is the id as the tz database spells it, when only case or surrounding white
    /// space differ (<c>"europe/berlin"</c> → <c>"Europe/Berlin"</c>).
    /// </summary>
    public static bool IsKnownTimeZone(string? id, out string? error, out string? suggestion)
    {
        suggestion = null;
        if (id is not null && System.Array.BinarySearch(TimeZoneNames.All, id, System.StringComparer.Ordinal) >= 0)
        {
            error = null;
            return true;
        }

        if (id is null || id.Trim().Length == 0)
        {
            error = $"TimeZone {Quote(id)} is empty; write an IANA time zone id such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\" (the default)";
            return false;
        }

        var trimmed = id.Trim();
        foreach (var known in TimeZoneNames.All)
        {
            if (string.Equals(known, trimmed, System.StringComparison.OrdinalIgnoreCase))
            {
                suggestion = known;
                break;
            }
        }

        error = suggestion is null
            ? $"TimeZone {Quote(id)} is not a time zone of the IANA tz database; write an id such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\" (Windows names such as \"W. Europe Standard Time\" are not accepted)"
            : $"TimeZone {Quote(id)} is not a time zone of the IANA tz database (ids are case-sensitive); write \"{suggestion}\"";
        return false;
    }

    /// <summary>A value quoted for a message, or <c>null</c>.</summary>
    public static string Quote(string? text) => text is null ? "null" : "\"" + AgentFileNameRules.Printable(text) + "\"";

    private static string? CheckEveryRange(long seconds)
    {
        if (seconds == 0)
        {
            return null;
        }

        if (seconds < MinEverySeconds)
        {
            return $"is shorter than 10 seconds; use at least \"10s\", or \"0m\" to disable the heartbeat";
        }

        return seconds > MaxEverySeconds
            ? "is longer than 7 days; use at most \"7d\" (for a rarer schedule use [CronSession])"
            : null;
    }

    /// <summary><c>(\d+[smhd])+</c> or a bare number (minutes), nothing else: no white space, no signs, lower-case units.</summary>
    private static bool TryParseStrictDuration(string text, out long seconds)
    {
        seconds = 0;
        if (AllDigits(text, 0, text.Length))
        {
            return TryNumber(text, 0, text.Length, out var minutes) && TryAdd(ref seconds, minutes, 60);
        }

        var i = 0;
        var lastUnit = long.MaxValue;
        while (i < text.Length)
        {
            var digitsStart = i;
            while (i < text.Length && text[i] >= '0' && text[i] <= '9')
            {
                i++;
            }

            if (i == digitsStart || i >= text.Length || !TryNumber(text, digitsStart, i - digitsStart, out var value))
            {
                return false;
            }

            var unit = UnitSeconds(text[i]);
            if (unit == 0 || unit >= lastUnit)
            {
                return false; // unknown unit, or units not from largest to smallest (1m1h, 1h1h)
            }

            lastUnit = unit;
            i++;
            if (!TryAdd(ref seconds, value, unit))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What a user most likely meant: white space ignored, any case, unit words (<c>30 min</c>, <c>2 hours</c>, <c>90 secs</c>),
    /// ISO 8601 (<c>PT30M</c>) and clock form (<c>00:30:00</c>, <c>01:30</c>).
    /// </summary>
    private static bool TryParseLenientDuration(string text, out long seconds)
    {
        seconds = 0;
        var compact = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                compact.Append(char.ToLowerInvariant(c));
            }
        }

        var s = compact.ToString();
        if (s.StartsWith("pt", System.StringComparison.Ordinal) || s.StartsWith("p", System.StringComparison.Ordinal))
        {
            s = s.Replace("p", string.Empty).Replace("t", string.Empty);
        }

        var parts = s.Split(':');
        if (parts.Length is 2 or 3)
        {
            long total = 0;
            foreach (var part in parts)
            {
                if (part.Length == 0 || !AllDigits(part, 0, part.Length) || !TryNumber(part, 0, part.Length, out var value) || value > 59 && total > 0)
                {
                    return false;
                }

                total = total * 60 + value;
            }

            seconds = parts.Length == 2 ? total * 60 : total; // hh:mm or hh:mm:ss
            return true;
        }

        var i = 0;
        var any = false;
        while (i < s.Length)
        {
            var digitsStart = i;
            while (i < s.Length && s[i] >= '0' && s[i] <= '9')
            {
                i++;
            }

            if (i == digitsStart || !TryNumber(s, digitsStart, i - digitsStart, out var value))
            {
                return false;
            }

            var wordStart = i;
            while (i < s.Length && (s[i] < '0' || s[i] > '9'))
            {
                i++;
            }

            var unit = s.Substring(wordStart, i - wordStart) switch
            {
                "" => 60,
                "s" or "sec" or "secs" or "second" or "seconds" => 1,
                "m" or "min" or "mins" or "minute" or "minutes" => 60,
                "h" or "hr" or "hrs" or "hour" or "hours" => 3600,
                "d" or "day" or "days" => 86400,
                _ => 0,
            };
            if (unit == 0 || !TryAdd(ref seconds, value, unit))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>The shape <c>HH:MM-HH:MM</c> (strict), or also <c>H:MM</c>, <c>H</c>, dashes, dots and spaces (lenient); ranges are checked later.</summary>
    private static bool TryParseWindowShape(string text, bool strict, out (int Hours, int Minutes) start, out (int Hours, int Minutes) end)
    {
        start = end = default;
        var s = text;
        if (!strict)
        {
            s = s.Trim().Replace('\u2013', '-').Replace('\u2014', '-').Replace('.', ':').Replace(" ", string.Empty);
        }

        var dash = s.IndexOf('-');
        if (dash <= 0 || dash != s.LastIndexOf('-'))
        {
            return false;
        }

        return TryParseTime(s.Substring(0, dash), strict, out start) && TryParseTime(s.Substring(dash + 1), strict, out end);
    }

    private static bool TryParseTime(string text, bool strict, out (int Hours, int Minutes) time)
    {
        time = default;
        var colon = text.IndexOf(':');
        if (colon < 0 && strict)
        {
            return false;
        }

        var hours = colon < 0 ? text : text.Substring(0, colon);
        var minutes = colon < 0 ? "00" : text.Substring(colon + 1);
        if ((strict ? hours.Length != 2 : hours.Length is < 1 or > 2) || minutes.Length != 2
            || !AllDigits(hours, 0, hours.Length) || !AllDigits(minutes, 0, minutes.Length))
        {
            return false;
        }

        time = (int.Parse(hours, CultureInfo.InvariantCulture), int.Parse(minutes, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>Why the times are out of range, or <see langword="null"/>; on success the minutes of the day.</summary>
    private static string? CheckWindowRange((int Hours, int Minutes) start, (int Hours, int Minutes) end, out int startMinute, out int endMinute)
    {
        startMinute = start.Hours * 60 + start.Minutes;
        endMinute = end.Hours * 60 + end.Minutes;
        if (start.Minutes > 59 || end.Minutes > 59)
        {
            return "minutes go from 00 to 59; write e.g. \"08:00-22:30\"";
        }

        if (start.Hours > 23)
        {
            return $"the start {FormatTime(startMinute)} is not a time of day; hours go from 00 to 23 (write \"00:00\" for midnight)";
        }

        return end.Hours > 24 || (end.Hours == 24 && end.Minutes > 0)
            ? $"the end {FormatTime(endMinute)} is not a time of day; hours go from 00 to 23, and \"24:00\" is allowed as the end"
            : null;
    }

    private static string FormatTime(int minutes) =>
        (minutes / 60).ToString("00", CultureInfo.InvariantCulture) + ":" + (minutes % 60).ToString("00", CultureInfo.InvariantCulture);

    private static long UnitSeconds(char unit) => unit switch
    {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86400,
        _ => 0,
    };

    private static bool AllDigits(string text, int start, int length)
    {
        if (length == 0)
        {
            return false;
        }

        for (var i = start; i < start + length; i++)
        {
            if (text[i] < '0' || text[i] > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryNumber(string text, int start, int length, out long value)
    {
        value = 0;
        if (length > 12)
        {
            return false;
        }

        for (var i = start; i < start + length; i++)
        {
            value = value * 10 + (text[i] - '0');
        }

        return true;
    }

    private static bool TryAdd(ref long seconds, long value, long unit)
    {
        if (value > long.MaxValue / 4 / unit)
        {
            return false;
        }

        seconds += value * unit;
        return seconds < long.MaxValue / 4;
    }
}
