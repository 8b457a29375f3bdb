namespace SessionKinds;

/// <summary>Settings every store engine shares. Engines derive their own options from this class.</summary>
public class SessionStoreOptions
{
    /// <summary>The default <see cref="CronRunsToKeep"/>.</summary>
    public const int DefaultCronRunsToKeep = 100;

    /// <summary>The clock for every timestamp the store writes; tests pass a fake one. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>How many runs of each cron task the run record keeps (default 100, at least 1); the oldest fall out first.</summary>
    public int CronRunsToKeep { get; set; } = DefaultCronRunsToKeep;

    /// <summary>
    /// How long occurrence claims are kept after the occurrence was due (default 7 days, at least 1 minute); older claims
    /// are removed as new ones are made, so the claims stay bounded. Keep it longer than hosts may be down, or an old
    /// occurrence could be claimed again when one catches up.
    /// </summary>
    public TimeSpan OccurrenceRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Checks the settings; engines call this for their own settings too.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and says what is allowed.</exception>
    protected internal virtual void Validate()
    {
        if (Time is null)
        {
            throw new ArgumentException($"{GetType().Name}.{nameof(Time)} is null: leave it unset for the system clock or pass a TimeProvider.", "options");
        }

        ThrowIfBelowOne(CronRunsToKeep, nameof(CronRunsToKeep));
        if (OccurrenceRetention < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException("options", OccurrenceRetention, $"{GetType().Name}.{nameof(OccurrenceRetention)} must be at least one minute.");
        }
    }

    /// <summary>Throws when <paramref name="value"/> is below 1, naming the setting.</summary>
    protected void ThrowIfBelowOne(long value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException("options", value, $"{GetType().Name}.{name} must be at least 1.");
        }
    }
}
