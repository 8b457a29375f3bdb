using System.Collections.Concurrent;

namespace SessionKinds.Hosting;

/// <summary>What the running scheduler shares with the health check and <see cref="SessionKindsStatus"/>.</summary>
internal sealed class SchedulerState
{
    private readonly ConcurrentDictionary<TaskPlan, DateTimeOffset?> _next = new();
    private readonly ConcurrentDictionary<TaskPlan, bool> _running = new();
    private volatile IReadOnlyList<TaskPlan> _plans = [];

    /// <summary>When the scheduler started, or <see langword="null"/> before it has.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    public IReadOnlyList<TaskPlan> Plans => _plans;

    public void Start(DateTimeOffset at, IReadOnlyList<TaskPlan> plans)
    {
        _plans = plans;
        StartedAt = at;
    }

    public void SetNext(TaskPlan plan, DateTimeOffset? next) => _next[plan] = next;

    public void SetRunning(TaskPlan plan, bool running) => _running[plan] = running;

    public IReadOnlyList<ScheduledTaskStatus> Snapshot() =>
        [.. _plans.Select(p => new ScheduledTaskStatus(
            p.Name,
            p.Kind,
            p.Heartbeat is { } heartbeat ? heartbeat.ToString() : "cron " + p.Cron,
            p.IsEnabled && _next.TryGetValue(p, out var next) ? next : null,
            _running.TryGetValue(p, out var running) && running))];
}
