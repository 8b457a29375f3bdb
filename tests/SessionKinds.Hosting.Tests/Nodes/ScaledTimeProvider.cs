namespace SessionKinds.Hosting.Tests.Nodes;

/// <summary>
/// A clock that runs <c>speed</c> times faster than the system clock from a shared real instant, so several processes on
/// one machine agree on the simulated time (they read the same system clock) while minutes pass in fractions of a second.
/// Timers are scaled alike.
/// </summary>
internal sealed class ScaledTimeProvider(DateTimeOffset simulatedStart, DateTimeOffset realStart, double speed) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => simulatedStart + ((System.GetUtcNow() - realStart) * speed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : span / speed;

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Scale(dueTime), owner.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
