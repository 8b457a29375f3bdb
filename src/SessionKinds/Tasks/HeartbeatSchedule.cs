using System.Globalization;

namespace SessionKinds;

/// <summary>
/// When a host runs a heartbeat task, from its <see cref="HeartbeatSessionAttribute"/>: every <see cref="Every"/>, inside
/// <see cref="ActiveHours"/> (if any) read in <see cref="TimeZone"/>. The generator bakes the values the compile-time rules
/// accepted into each task; <see cref="Parse"/> applies the same rules to text.
/// </summary>
public sealed record HeartbeatSchedule
{
    private TimeZoneInfo? _zone;

    /// <summary>Creates a schedule.</summary>
    /// <param name="every">The interval: <see cref="TimeSpan.Zero"/> disables the heartbeat; otherwise whole seconds from 10 seconds to 7 days.</param>
    /// <param name="activeHours">When the heartbeat may run, or <see langword="null"/> for all day.</param>
    /// <param name="timeZone">The IANA time zone id of <paramref name="activeHours"/> (default <c>UTC</c>).</param>
    /// <exception cref="ArgumentException">A value breaks the rules; the message says which and what is allowed.</exception>
    public HeartbeatSchedule(TimeSpan every, ActiveHours? activeHours = null, string timeZone = ScheduleRules.DefaultTimeZone)
    {
        if (every < TimeSpan.Zero || every.Ticks % TimeSpan.TicksPerSecond != 0
            || (every != TimeSpan.Zero && (every.Ticks / TimeSpan.TicksPerSecond < ScheduleRules.MinEverySeconds || every.Ticks / TimeSpan.TicksPerSecond > ScheduleRules.MaxEverySeconds)))
        {
            throw new ArgumentOutOfRangeException(nameof(every), every, "A heartbeat interval is zero (disabled) or whole seconds from 10 seconds to 7 days.");
        }

        if (!ScheduleRules.IsKnownTimeZone(timeZone, out var error, out _))
        {
            throw new ArgumentException(error + ".", nameof(timeZone));
        }

        Every = every;
        ActiveHours = activeHours;
        TimeZone = timeZone;
    }

    /// <summary>The schedule of a heartbeat whose attribute sets none: every 30 minutes, all day, UTC.</summary>
    public static HeartbeatSchedule Default { get; } = new(TimeSpan.FromSeconds(ScheduleRules.DefaultEverySeconds));

    /// <summary>The interval between slots; <see cref="TimeSpan.Zero"/> when the heartbeat is disabled.</summary>
    public TimeSpan Every { get; }

    /// <summary>When the heartbeat may run, or <see langword="null"/> for all day.</summary>
    public ActiveHours? ActiveHours { get; }

    /// <summary>The IANA time zone id the active hours are read in.</summary>
    public string TimeZone { get; }

    /// <summary>Whether a host runs the heartbeat at all: the interval is not zero and the active hours are not empty.</summary>
    public bool IsEnabled => Every > TimeSpan.Zero && ActiveHours is not { IsEmpty: true };

    /// <summary>Reads a schedule written as in the attribute, by the rules the analyzers apply (SKND0012–SKND0014).</summary>
    /// <exception cref="FormatException">A value breaks the rules; the message says what is wrong and what to write.</exception>
    public static HeartbeatSchedule Parse(string every, string? activeHours = null, string timeZone = ScheduleRules.DefaultTimeZone)
    {
        if (!ScheduleRules.TryParseEvery(every, out var seconds, out var error, out _))
        {
            throw new FormatException(error + ".");
        }

        if (!ScheduleRules.IsKnownTimeZone(timeZone, out error, out _))
        {
            throw new FormatException(error + ".");
        }

        return new HeartbeatSchedule(TimeSpan.FromSeconds(seconds), activeHours is null ? null : SessionKinds.ActiveHours.Parse(activeHours), timeZone);
    }

    /// <summary>The zone of <see cref="TimeZone"/> as this machine knows it.</summary>
    /// <exception cref="TimeZoneNotFoundException">This machine has no data for <see cref="TimeZone"/> (install the tz database, e.g. the <c>tzdata</c> package).</exception>
    public TimeZoneInfo ResolveTimeZone() => _zone ??= ScheduleTimeZones.Resolve(TimeZone);

    /// <summary>Whether a heartbeat due at <paramref name="instant"/> may run: its local time in <see cref="TimeZone"/> is inside <see cref="ActiveHours"/>.</summary>
    public bool IsActiveAt(DateTimeOffset instant) =>
        ActiveHours is not { } window || window.Contains(TimeOnly.FromTimeSpan(TimeZoneInfo.ConvertTime(instant, ResolveTimeZone()).TimeOfDay));

    /// <summary>Equal when interval, active hours and time zone are.</summary>
    public bool Equals(HeartbeatSchedule? other) =>
        other is not null && Every == other.Every && ActiveHours == other.ActiveHours && string.Equals(TimeZone, other.TimeZone, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Every, ActiveHours, TimeZone);

    /// <inheritdoc />
    public override string ToString() =>
        "every " + ScheduleRules.FormatEvery(Every.Ticks / TimeSpan.TicksPerSecond)
        + (ActiveHours is { } window ? ", " + window.ToString() : string.Empty)
        + (TimeZone == ScheduleRules.DefaultTimeZone ? string.Empty : " " + TimeZone);
}

/// <summary>
/// A daily window, <c>HH:MM-HH:MM</c>: the start inclusive, the end exclusive (<c>24:00</c> allowed), wrapping midnight when
/// the end is before the start (<c>22:00-06:00</c>), and empty — never open — when both are equal.
/// </summary>
public readonly record struct ActiveHours
{
    /// <summary>Creates a window from minutes of the day.</summary>
    /// <param name="startMinute">The first minute inside, 0 (00:00) to 1439 (23:59).</param>
    /// <param name="endMinute">The first minute outside, 0 to 1440 (24:00).</param>
    /// <exception cref="ArgumentOutOfRangeException">A minute is out of range.</exception>
    public ActiveHours(int startMinute, int endMinute)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startMinute);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(startMinute, ScheduleRules.MinutesPerDay);
        ArgumentOutOfRangeException.ThrowIfNegative(endMinute);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endMinute, ScheduleRules.MinutesPerDay);
        StartMinute = startMinute;
        EndMinute = endMinute;
    }

    /// <summary>The first minute of the day inside the window.</summary>
    public int StartMinute { get; }

    /// <summary>The first minute of the day after the window (1440 for 24:00).</summary>
    public int EndMinute { get; }

    /// <summary>Whether the window never opens (start equals end).</summary>
    public bool IsEmpty => StartMinute == EndMinute;

    /// <summary>Reads <c>HH:MM-HH:MM</c> by the rule the analyzer applies (SKND0013).</summary>
    /// <exception cref="FormatException">The text is not a window; the message says what to write.</exception>
    public static ActiveHours Parse(string text) =>
        ScheduleRules.TryParseActiveHours(text, out var start, out var end, out var error, out _)
            ? new ActiveHours(start, end)
            : throw new FormatException(error + ".");

    /// <summary>Whether <paramref name="time"/> (a local time of day) is inside the window.</summary>
    public bool Contains(TimeOnly time) => ScheduleRules.IsInWindow(StartMinute, EndMinute, (time.Hour * 60) + time.Minute);

    /// <inheritdoc />
    public override string ToString() => ScheduleRules.FormatActiveHours(StartMinute, EndMinute);
}

/// <summary>Resolves IANA ids with <see cref="TimeZoneInfo"/>, with an error that says what to install.</summary>
internal static class ScheduleTimeZones
{
    public static TimeZoneInfo Resolve(string id)
    {
        if (id is "UTC" or "Etc/UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new TimeZoneNotFoundException(
                string.Create(CultureInfo.InvariantCulture, $"Time zone \"{id}\" is an IANA id (tz database {TimeZoneNames.Release}), but this machine has no data for it: install the tz database (e.g. the tzdata package), or run without InvariantTimezone."),
                ex);
        }
    }
}
