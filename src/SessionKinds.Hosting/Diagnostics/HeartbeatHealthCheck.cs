using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SessionKinds.Hosting;

/// <summary>
/// Reports heartbeat tasks that stopped running: a heartbeat whose last run (an ack or an alert in the store's heartbeat
/// state, by whichever host ran it) is older than twice its interval, with at least two of its slots passed since (so
/// closed active hours are not a failure). A task with no run yet counts from when this host started.
/// </summary>
internal sealed class HeartbeatHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string DefaultName = "sessionkinds-heartbeats";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = services.GetRequiredService<SchedulerState>();
        var time = services.GetRequiredService<TimeProvider>();
        if (state.StartedAt is not { } startedAt || services.GetService<SessionStore>() is not { } store)
        {
            return HealthCheckResult.Healthy("The SessionKinds scheduler has not started.");
        }

        var heartbeats = await store.ReadHeartbeatStateAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var stale = new List<string>();
        var data = new Dictionary<string, object>();
        foreach (var plan in state.Plans)
        {
            if (plan.Every is not { } every || !plan.IsEnabled)
            {
                continue;
            }

            var last = heartbeats.Tasks.TryGetValue(plan.Name, out var task) ? Latest(task.LastAck, task.LastAlert) : null;
            var since = last ?? startedAt;
            data[plan.Name] = last?.ToString("o") ?? "never";
            if (now - since > every * 2 && plan.NextAfter(since) is { } first && plan.NextAfter(first) is { } second && second <= now)
            {
                stale.Add($"{plan.Name} last ran {(last is null ? "never (host started " + startedAt.ToString("u") + ")" : last.Value.ToString("u"))}, more than twice its interval ({every}) ago");
            }
        }

        return stale.Count == 0
            ? HealthCheckResult.Healthy("Every heartbeat ran within twice its interval.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", stale) + ".", data: data);
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
