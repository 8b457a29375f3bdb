namespace HeartbeatAgent;

/// <summary>
/// A clock the simulation moves by hand, so 30 days of heartbeats take seconds. Timers (which the host's scheduler sleeps
/// on) fire, in order of their due time, when the clock is moved past it.
/// </summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<SimulatedTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimulatedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock to <paramref name="instant"/>, firing every timer due until then at its own time.</summary>
    public void MoveTo(DateTimeOffset instant)
    {
        while (true)
        {
            SimulatedTimer? due;
            lock (_gate)
            {
                if (instant < _now)
                {
                    throw new ArgumentOutOfRangeException(nameof(instant), instant, "The simulated clock never goes back.");
                }

                due = _timers.Where(t => t.DueAt is { } at && at <= instant).MinBy(t => t.DueAt);
                if (due is null)
                {
                    _now = instant;
                    return;
                }

                _now = due.DueAt!.Value;
                due.DueAt = due.Period is { } period ? _now + period : null;
                if (due.DueAt is null)
                {
                    _timers.Remove(due);
                }
            }

            due.Fire();
        }
    }

    private sealed class SimulatedTimer(SimulatedClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
                Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? null : period;
                if (DueAt is not null)
                {
                    clock._timers.Add(this);
                }
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                DueAt = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
