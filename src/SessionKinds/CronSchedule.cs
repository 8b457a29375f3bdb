using Cronos;

namespace SessionKinds;

/// <summary>A parsed five-field cron schedule (UTC), as written in <see cref="CronSessionAttribute"/>.</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression)
    {
        Text = text;
        _expression = expression;
    }

    /// <summary>The schedule as written.</summary>
    public string Text { get; }

    /// <summary>Parses a schedule; the same parser validates schedules at compile time (SKND0005).</summary>
    /// <exception cref="FormatException">The schedule does not parse; the message says why.</exception>
    public static CronSchedule Parse(string text)
    {
        if (!CronScheduleSyntax.TryParse(text, out var expression, out var error))
        {
            throw new FormatException($"Cron schedule \"{text}\" is invalid: {error}");
        }

        return new CronSchedule(text, expression!);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or <see langword="null"/> when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _expression.GetNextOccurrence(after, TimeZoneInfo.Utc);

    /// <inheritdoc />
    public override string ToString() => Text;
}
