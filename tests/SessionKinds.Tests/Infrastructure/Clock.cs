using Microsoft.Extensions.Time.Testing;

namespace SessionKinds.Tests.Infrastructure;

public static class Clock
{
    /// <summary>2025-01-02T03:04:05.678Z: milliseconds included so archive and corrupt-file names show them.</summary>
    public static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    /// <summary><see cref="Start"/> to the whole second, as rings and cron run records store it.</summary>
    public static readonly DateTimeOffset StartSecond = DateTimeOffset.FromUnixTimeSeconds(Start.ToUnixTimeSeconds());

    public static FakeTimeProvider NewFake() => new(Start);

    /// <summary>A time to the whole second, as rings and run records store it.</summary>
    public static DateTimeOffset WholeSeconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());
}
