using Microsoft.Extensions.Time.Testing;

namespace SessionKinds.Tests.Infrastructure;

public static class Clock
{
    /// <summary>2025-01-02T03:04:05.678Z: milliseconds included so archive and corrupt-file names show them.</summary>
    public static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static FakeTimeProvider NewFake() => new(Start);

    public static AgentStoreOptions Options(TimeProvider time, Action<AgentStoreOptions>? configure = null)
    {
        var options = new AgentStoreOptions { Time = time, LockTimeout = TimeSpan.FromSeconds(20) };
        configure?.Invoke(options);
        return options;
    }
}
