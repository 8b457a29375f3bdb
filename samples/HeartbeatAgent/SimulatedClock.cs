namespace HeartbeatAgent;

/// <summary>A clock the simulation moves by hand, so 30 days of heartbeats take seconds.</summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void MoveTo(DateTimeOffset instant)
    {
        if (instant < _now)
        {
            throw new ArgumentOutOfRangeException(nameof(instant), instant, "The simulated clock never goes back.");
        }

        _now = instant;
    }
}
