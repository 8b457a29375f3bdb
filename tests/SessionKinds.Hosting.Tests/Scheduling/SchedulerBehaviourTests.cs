using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SessionKinds.Hosting.Tests.Infrastructure;

namespace SessionKinds.Hosting.Tests.Scheduling;

/// <summary>The scheduler's rules, each on a fake clock: one run at a time, failures, stop, catch-up, session keys.</summary>
public sealed class SchedulerBehaviourTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task An_occurrence_due_while_the_previous_run_goes_on_is_skipped_and_recorded_in_the_run_record()
    {
        var time = new FakeTimeProvider(Monday.AddMinutes(50));
        await using var host = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => o.CatchUpWindow = TimeSpan.Zero);
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        host.Behavior.Set<HourlyJob>(async (context, ct) =>
        {
            if (context.SessionKey.EndsWith("T010000Z", StringComparison.Ordinal))
            {
                started.TrySetResult();
                await release.Task.WaitAsync(ct);
            }

            return "report " + context.SessionKey;
        });
        await host.StartAsync();

        host.MoveTo(Monday.AddHours(1));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        host.MoveTo(Monday.AddHours(2));
        var skipped = await host.NextAsync(typeof(HourlyJob));
        release.SetResult();
        var first = await host.NextAsync(typeof(HourlyJob));
        host.MoveTo(Monday.AddHours(3));
        var third = await host.NextAsync(typeof(HourlyJob));

        Assert.Equal(("skipped", Monday.AddHours(2)), (skipped.Verdict, skipped.ScheduledAt));
        Assert.Equal(("output", Monday.AddHours(1)), (first.Verdict, first.ScheduledAt));
        Assert.Equal(("output", Monday.AddHours(3)), (third.Verdict, third.ScheduledAt));
        var runs = (await host.Store.ReadCronRunsAsync(typeof(HourlyJob).FullName)).Runs;
        Assert.Equal([CronRunVerdict.Skipped, CronRunVerdict.Output, CronRunVerdict.Output], runs.Select(r => r.Verdict));
        Assert.Equal("skipped: the run of the occurrence of 2026-01-05 01:00:00Z was still going", runs[0].Summary);
        Assert.DoesNotContain(host.Behavior.Runs, r => r.Key.EndsWith("T020000Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_task_that_throws_is_logged_and_the_host_keeps_running_it()
    {
        var start = Monday.AddMinutes(5);
        var time = new FakeTimeProvider(start);
        await using var host = TestHost.Create(time, _folder.Path, [typeof(ProbeHeartbeat)], o => o.CatchUpWindow = TimeSpan.Zero);
        var calls = 0;
        host.Behavior.Set<ProbeHeartbeat>((_, _) => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("model unreachable") : new("HEARTBEAT_OK"));
        await host.StartAsync();
        var slots = Plans.Next<ProbeHeartbeat>(start, 3);

        var settled = new List<SettledOccurrence>();
        foreach (var slot in slots)
        {
            host.MoveTo(slot);
            settled.Add(await host.NextAsync(typeof(ProbeHeartbeat)));
        }

        Assert.Equal(["failed", "ack", "ack"], settled.Select(s => s.Verdict));
        Assert.Equal(slots, settled.Select(s => s.ScheduledAt));
        var error = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.IsType<InvalidOperationException>(error.Exception);
        Assert.Equal($"{typeof(ProbeHeartbeat).FullName}: occurrence of {slots[0]:o} failed; the host keeps running", error.Message);
        Assert.Equal(2, (await host.Store.ReadHeartbeatRingAsync("probe-ring.json")).Entries.Count);
    }

    [Fact]
    public async Task A_failed_cron_run_is_recorded_as_failed_and_the_next_occurrence_runs()
    {
        var time = new FakeTimeProvider(Monday.AddMinutes(30));
        await using var host = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => o.CatchUpWindow = TimeSpan.Zero);
        var calls = 0;
        host.Behavior.Set<HourlyJob>((context, _) => Interlocked.Increment(ref calls) == 1 ? throw new TimeoutException("the model timed out") : new("report " + context.SessionKey));
        await host.StartAsync();

        host.MoveTo(Monday.AddHours(1));
        Assert.Equal("failed", (await host.NextAsync(typeof(HourlyJob))).Verdict);
        host.MoveTo(Monday.AddHours(2));
        Assert.Equal("output", (await host.NextAsync(typeof(HourlyJob))).Verdict);

        var runs = (await host.Store.ReadCronRunsAsync()).Runs;
        Assert.Equal([CronRunVerdict.Failed, CronRunVerdict.Output], runs.Select(r => r.Verdict));
        Assert.Equal("TimeoutException: the model timed out", runs[0].Summary);
    }

    [Fact]
    public async Task Stopping_the_host_cancels_a_run_in_progress_which_writes_nothing_and_runs_again_later()
    {
        var time = new FakeTimeProvider(Monday.AddMinutes(30));
        var started = new TaskCompletionSource();
        var sawCancellation = new TaskCompletionSource();
        var behavior = new TaskBehavior();
        behavior.Set<HourlyJob>(async (_, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                sawCancellation.TrySetResult();
                throw;
            }

            return "never";
        });
        var host = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => o.CatchUpWindow = TimeSpan.Zero, behavior);
        await host.StartAsync();
        host.MoveTo(Monday.AddHours(1));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));

        await host.Host.StopAsync();
        var cancelled = await host.NextAsync(typeof(HourlyJob));
        await host.DisposeAsync();

        Assert.True(sawCancellation.Task.IsCompleted);
        Assert.Equal("cancelled", cancelled.Verdict);
        await using (var store = new FileSessionStore(_folder.Path, new FileSessionStoreOptions { Time = time }))
        {
            Assert.Empty((await store.ReadCronRunsAsync()).Runs);
            Assert.Empty(await store.ReadSessionsAsync());
        }

        // The claim was left to run out: after its lease, the next start (another node, same store) runs the occurrence.
        time.Advance(TimeSpan.FromMinutes(2));
        behavior.Set<HourlyJob>((context, _) => new("report " + context.SessionKey));
        await using var next = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => o.NodeId = "other-node", behavior);
        await next.StartAsync();
        var rerun = await next.NextAsync(typeof(HourlyJob));
        Assert.Equal(("output", Monday.AddHours(1), 2), (rerun.Verdict, rerun.ScheduledAt, rerun.Attempt));
    }

    [Fact]
    public async Task Occurrences_missed_while_down_are_caught_up_once_not_once_per_slot()
    {
        var time = new FakeTimeProvider(Monday.AddHours(6).AddMinutes(30));
        var behavior = new TaskBehavior();
        await using (var first = TestHost.Create(time, _folder.Path, [typeof(HourlyJob), typeof(ProbeHeartbeat)], o => o.CatchUpWindow = TimeSpan.Zero, behavior))
        {
            await first.StartAsync();
            first.MoveTo(Monday.AddHours(7));
            Assert.Equal(Monday.AddHours(7), (await first.NextAsync(typeof(HourlyJob))).ScheduledAt);
        }

        // Down from 07:00 to 10:20: the 08:00, 09:00 and 10:00 jobs and six heartbeat slots are missed.
        time.Advance(TimeSpan.FromHours(3).Add(TimeSpan.FromMinutes(20)));
        await using var second = TestHost.Create(time, _folder.Path, [typeof(HourlyJob), typeof(ProbeHeartbeat)], behavior: behavior);
        await second.StartAsync();
        var caughtUp = new[] { await second.NextAsync(_ => true), await second.NextAsync(_ => true) };
        second.MoveTo(Monday.AddHours(11));
        var regular = await second.NextAsync(typeof(HourlyJob));

        var heartbeatSlot = Plans.Next<ProbeHeartbeat>(Monday.AddHours(10).AddMinutes(20) - TimeSpan.FromMinutes(30), 1)[0];
        Assert.Contains(caughtUp, c => c.Task == typeof(HourlyJob).FullName && c.ScheduledAt == Monday.AddHours(10) && c.Verdict == "output");
        Assert.Contains(caughtUp, c => c.Task == typeof(ProbeHeartbeat).FullName && c.ScheduledAt == heartbeatSlot && c.Verdict == "ack");
        Assert.Equal(Monday.AddHours(11), regular.ScheduledAt);
        var keys = behavior.Runs.Where(r => r.Task == typeof(HourlyJob)).Select(r => r.Key[^16..]).ToList();
        Assert.Equal(["20260105T070000Z", "20260105T100000Z", "20260105T110000Z"], keys);

        // A restart right after runs nothing again: the caught-up occurrence is done in the store.
        await second.Host.StopAsync();
        await using var third = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], behavior: behavior);
        await third.StartAsync();
        Assert.False(third.TryTakeSettled(out _));
        Assert.Equal(3, behavior.Runs.Count(r => r.Task == typeof(HourlyJob)));
    }

    [Fact]
    public async Task Runs_use_the_gateways_session_key_shapes()
    {
        var time = new FakeTimeProvider(Monday.AddMinutes(59));
        await using var host = TestHost.Create(time, _folder.Path, [typeof(HourlyJob), typeof(ProbeHeartbeat)], o => { o.AgentId = "ops"; o.CatchUpWindow = TimeSpan.Zero; });
        host.Behavior.Set<ProbeHeartbeat>((_, _) => new("The backup failed twice tonight; the disk is 97% full. Please look at it today, before the next run at 02:00."));
        await host.StartAsync();

        host.MoveTo(Monday.AddHours(1).AddMinutes(31));
        await host.NextAsync(typeof(HourlyJob));
        await host.NextAsync(typeof(ProbeHeartbeat));

        var keys = (await host.Store.ReadSessionsAsync()).Select(e => (e.Key, e.Kind)).OrderBy(k => k.Key, StringComparer.Ordinal).ToList();
        Assert.Equal([("agent:ops:cron:hourly-job:run:20260105T010000Z", SessionKind.Cron), ("agent:ops:probe-heartbeat:heartbeat", SessionKind.Heartbeat)], keys);
    }

    [Fact]
    public async Task A_task_whose_service_is_missing_fails_with_a_message_naming_task_parameter_and_type()
    {
        var time = new FakeTimeProvider(Monday);
        await using var host = TestHost.Create(time, _folder.Path, [typeof(NeedsMissingService)], o => o.CatchUpWindow = TimeSpan.Zero);
        await host.StartAsync();

        host.MoveTo(Monday.AddMinutes(15));
        var failed = await host.NextAsync(typeof(NeedsMissingService));

        Assert.Equal("failed", failed.Verdict);
        Assert.Equal(
            "Cannot create task SessionKinds.Hosting.Tests.Infrastructure.NeedsMissingService: no service of type SessionKinds.Hosting.Tests.Infrastructure.IMissingService is registered for its constructor parameter 'missing'. Register one (e.g. services.AddSingleton<SessionKinds.Hosting.Tests.Infrastructure.IMissingService>(...)) or give the parameter a default value.",
            failed.Detail);
        var run = Assert.Single((await host.Store.ReadCronRunsAsync()).Runs);
        Assert.Equal(CronRunVerdict.Skipped, run.Verdict);
        Assert.StartsWith("failed: Cannot create task", run.Summary, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
