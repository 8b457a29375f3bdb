using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionKinds.Hosting.Tests.Infrastructure;
using System.Diagnostics.Metrics;

namespace SessionKinds.Hosting.Tests.Observability;

/// <summary>The <c>SessionKinds</c> meter (read with <see cref="MetricCollector{T}"/>) and the stale-heartbeat health check.</summary>
public sealed class ObservabilityTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Runs_are_counted_by_kind_task_and_verdict_with_their_lag_and_persisted_bytes()
    {
        var time = new FakeTimeProvider(Monday.AddHours(2));
        await using var host = TestHost.Create(time, _folder.Path, [typeof(ProbeHeartbeat), typeof(BerlinNightly)], o => o.CatchUpWindow = TimeSpan.Zero);
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var runs = new MetricCollector<long>(meters, "SessionKinds", "sessionkinds.runs", time);
        using var bytes = new MetricCollector<long>(meters, "SessionKinds", "sessionkinds.persisted.bytes", time);
        using var lag = new MetricCollector<double>(meters, "SessionKinds", "sessionkinds.schedule.lag", time);
        var calls = 0;
        host.Behavior.Set<ProbeHeartbeat>((_, _) => new(Interlocked.Increment(ref calls) == 2 ? "The nightly backup failed twice; the disk is 97% full. Please look at it today before the next run." : "HEARTBEAT_OK"));
        await host.StartAsync();

        foreach (var slot in Plans.Next<ProbeHeartbeat>(time.GetUtcNow(), 3))
        {
            host.MoveTo(slot);
            await host.NextAsync(typeof(ProbeHeartbeat));
        }

        // Tuesday 02:30 in Berlin: the nightly job, and the heartbeat's latest slot (the ones between pass while the clock jumps).
        host.MoveTo(new DateTimeOffset(2026, 1, 6, 1, 30, 0, TimeSpan.Zero));
        await host.NextAsync(typeof(BerlinNightly));
        await host.NextAsync(typeof(ProbeHeartbeat));

        var measured = runs.GetMeasurementSnapshot();
        string Tag(CollectedMeasurement<long> m, string name) => (string)m.Tags[name]!;
        Assert.Equal(3, measured.Count(m => Tag(m, "sessionkinds.kind") == "heartbeat" && Tag(m, "sessionkinds.verdict") == "ack"));
        Assert.Equal(1, measured.Count(m => Tag(m, "sessionkinds.kind") == "heartbeat" && Tag(m, "sessionkinds.verdict") == "alert"));
        var cron = Assert.Single(measured, m => Tag(m, "sessionkinds.kind") == "cron");
        Assert.Equal(("output", typeof(BerlinNightly).FullName), (Tag(cron, "sessionkinds.verdict"), Tag(cron, "sessionkinds.task")));
        Assert.All(measured, m => Assert.Equal(1, m.Value));

        // Acks persist no transcript; the alert and the cron output do (prompt and reply, UTF-8).
        var persisted = bytes.GetMeasurementSnapshot();
        Assert.Equal(2, persisted.Count);
        Assert.Contains(persisted, m => m.Value == "ran agent:main:cron:berlin-nightly:run:20260106T013000Z".Length);
        Assert.Contains(persisted, m => m.Value > SessionKindsOptions.DefaultHeartbeatPrompt.Length + 90);

        // Runs on time have no lag; the heartbeat run after the jump is late by the time since its slot.
        var lags = lag.GetMeasurementSnapshot().Select(m => m.Value).ToList();
        Assert.Equal(5, lags.Count);
        Assert.Equal(4, lags.Count(l => l == 0));
        Assert.All(lags, l => Assert.InRange(l, 0, 30 * 60));
    }

    [Fact]
    public async Task The_health_check_reports_a_heartbeat_whose_last_run_is_older_than_twice_its_interval()
    {
        var time = new FakeTimeProvider(Monday.AddMinutes(5));
        await using var host = TestHost.Create(time, _folder.Path, [typeof(ProbeHeartbeat)], o => o.CatchUpWindow = TimeSpan.Zero, services: s => s.AddHealthChecks().AddSessionKindsHeartbeats());
        var failing = false;
        host.Behavior.Set<ProbeHeartbeat>((_, _) => Volatile.Read(ref failing) ? throw new InvalidOperationException("model down") : new("HEARTBEAT_OK"));
        await host.StartAsync();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var slots = Plans.Next<ProbeHeartbeat>(time.GetUtcNow(), 4);

        host.MoveTo(slots[0]);
        await host.NextAsync(typeof(ProbeHeartbeat));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        Volatile.Write(ref failing, true);
        for (var i = 1; i < 4; i++)
        {
            host.MoveTo(slots[i]);
            await host.NextAsync(typeof(ProbeHeartbeat));
        }

        host.MoveTo(slots[3].AddMinutes(1));
        var report = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        var entry = report.Entries["sessionkinds-heartbeats"];
        Assert.StartsWith(typeof(ProbeHeartbeat).FullName + " last ran " + slots[0].ToString("u", System.Globalization.CultureInfo.InvariantCulture), entry.Description, StringComparison.Ordinal);
        Assert.EndsWith("more than twice its interval (00:30:00) ago.", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_heartbeat_outside_its_active_hours_is_not_reported_stale()
    {
        // Friday 21:40 in Berlin: the office heartbeat ran at its last slot before 22:00 and sleeps until 08:00.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 9, 20, 40, 0, TimeSpan.Zero));
        await using var host = TestHost.Create(time, _folder.Path, [typeof(OfficeHeartbeat)], o => o.CatchUpWindow = TimeSpan.Zero, services: s => s.AddHealthChecks().AddSessionKindsHeartbeats());
        await host.StartAsync();
        var last = Plans.Next<OfficeHeartbeat>(time.GetUtcNow(), 1)[0];
        host.MoveTo(last);
        await host.NextAsync(typeof(OfficeHeartbeat));

        host.MoveTo(new DateTimeOffset(2026, 1, 10, 5, 0, 0, TimeSpan.Zero));

        Assert.Equal(HealthStatus.Healthy, (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task Observers_hear_every_settled_occurrence_and_the_status_shows_the_next_ones()
    {
        var time = new FakeTimeProvider(Monday.AddMinutes(30));
        var heard = new List<ScheduledRunResult>();
        await using var host = TestHost.Create(time, _folder.Path, [typeof(HourlyJob), typeof(NeedsMissingService)], o => o.CatchUpWindow = TimeSpan.Zero,
            services: s => s.AddSingleton<IScheduledRunObserver>(new Recorder(heard)).AddSingleton<IScheduledRunObserver>(new Throwing()));
        await host.StartAsync();
        var status = host.Services.GetRequiredService<SessionKindsStatus>();
        Assert.Equal(
            [(typeof(HourlyJob).FullName!, "cron 0 * * * *", Monday.AddHours(1)), (typeof(NeedsMissingService).FullName!, "cron 15 * * * *", Monday.AddHours(1).AddMinutes(15))],
            status.Tasks.Select(t => (t.Task, t.Schedule, t.NextOccurrence!.Value)).OrderBy(t => t.Value));

        host.MoveTo(Monday.AddHours(1).AddMinutes(15));
        await host.NextAsync(typeof(HourlyJob));
        await host.NextAsync(typeof(NeedsMissingService));

        lock (heard)
        {
            var output = Assert.Single(heard, r => r.Verdict == ScheduledRunVerdict.Output);
            Assert.Equal((typeof(HourlyJob).FullName, SessionKind.Cron, Monday.AddHours(1), 1), (output.Task, output.Kind, output.ScheduledAt, output.Attempt));
            Assert.Equal("agent:main:cron:hourly-job:run:20260105T010000Z", output.Outcome!.Key);
            Assert.Single(heard, r => r.Verdict == ScheduledRunVerdict.Failed && r.Outcome is null && r.Detail!.Contains("IMissingService", StringComparison.Ordinal));
        }

        Assert.Equal(Monday.AddHours(2), status.Tasks.Single(t => t.Task == typeof(HourlyJob).FullName).NextOccurrence);
        Assert.Equal(2, host.Logs.GetSnapshot().Count(r => r.Message.StartsWith("SessionKinds.Hosting.Tests.Infrastructure.", StringComparison.Ordinal) && r.Message.Contains("observer Throwing failed", StringComparison.Ordinal)));
    }

    public void Dispose() => _folder.Dispose();

    private sealed class Recorder(List<ScheduledRunResult> heard) : IScheduledRunObserver
    {
        public ValueTask OnRunSettledAsync(ScheduledRunResult result, CancellationToken cancellationToken)
        {
            lock (heard)
            {
                heard.Add(result);
            }

            return default;
        }
    }

    private sealed class Throwing : IScheduledRunObserver
    {
        public ValueTask OnRunSettledAsync(ScheduledRunResult result, CancellationToken cancellationToken) => throw new InvalidOperationException("delivery failed");
    }
}
