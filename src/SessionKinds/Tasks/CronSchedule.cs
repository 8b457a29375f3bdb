using Cronos;

namespace SessionKinds;

/// <summary>A parsed five-field cron schedule and the IANA time zone it is read in, as written in <see cref="CronSessionAttribute"/>.</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;
    private TimeZoneInfo? _zone;

    private CronSchedule(string text, CronExpression expression, string timeZone)
    {
        Text = text;
        _expression = expression;
        TimeZone = timeZone;
    }

    /// <summary>The schedule as written.</summary>
    public string Text { get; }

    /// <summary>The IANA time zone id the schedule is read in (<c>UTC</c> unless the attribute says otherwise).</summary>
    public string TimeZone { get; }

    /// <summary>Whether the schedule fires at all (<c>0 0 31 2 *</c> never does; SKND0015 at compile time).</summary>
    public bool CanFire => CronScheduleSyntax.CanFire(_expression);

    /// <summary>Parses a schedule read in UTC; the same parser validates schedules at compile time (SKND0005).</summary>
    /// <exception cref="FormatException">The schedule does not parse; the message says why.</exception>
    public static CronSchedule Parse(string text) => Parse(text, ScheduleRules.DefaultTimeZone);

    /// <summary>
    /// Parses a schedule read in the IANA time zone <paramref name="timeZone"/>; the same rules validate both at compile
    /// time (SKND0005, SKND0014). The zone is resolved with <see cref="TimeZoneInfo"/> on first use (<see cref="NextAfter"/>).
    /// </summary>
    /// <exception cref="FormatException">The schedule does not parse, or the time zone is not an IANA id; the message says why.</exception>
    public static CronSchedule Parse(string text, string timeZone)
    {
        if (!CronScheduleSyntax.TryParse(text, out var expression, out var error))
        {
            throw new FormatException($"Cron schedule \"{text}\" is invalid: {error}");
        }

        if (!ScheduleRules.IsKnownTimeZone(timeZone, out var zoneError, out _))
        {
            throw new FormatException($"Cron schedule \"{text}\": {zoneError}.");
        }

        return new CronSchedule(text, expression!, timeZone);
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, or <see langword="null"/> when there is none. Times are
    /// read in <see cref="TimeZone"/>: across a daylight saving change a time in the skipped hour fires once when the clocks
    /// have moved on, and a time in the repeated hour fires once.
    /// </summary>
    /// <exception cref="TimeZoneNotFoundException">This machine has no data for <see cref="TimeZone"/> (install the tz database, e.g. the <c>tzdata</c> package).</exception>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _expression.GetNextOccurrence(after, ResolveTimeZone());

    /// <summary>The schedule's zone as this machine knows it.</summary>
    /// <exception cref="TimeZoneNotFoundException">This machine has no data for <see cref="TimeZone"/>.</exception>
    public TimeZoneInfo ResolveTimeZone() => _zone ??= ScheduleTimeZones.Resolve(TimeZone);

    /// <inheritdoc />
    public override string ToString() => TimeZone == ScheduleRules.DefaultTimeZone ? Text : Text + " (" + TimeZone + ")";
}
