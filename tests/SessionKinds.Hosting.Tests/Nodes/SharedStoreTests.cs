using Microsoft.Extensions.Time.Testing;
using SessionKinds.Hosting.Tests.Infrastructure;

namespace SessionKinds.Hosting.Tests.Nodes;

/// <summary>Several hosts in one process sharing one agent folder and one fake clock: claims, takeover, renewal.</summary>
public sealed class SharedStoreTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Two_hosts_on_one_store_run_each_occurrence_once()
    {
        var time = new FakeTimeProvider(Monday.AddSeconds(30));
        var behavior = new TaskBehavior();
        await using var a = TestHost.Create(time, _folder.Path, [typeof(MinuteJob)], o => { o.NodeId = "node-a"; o.CatchUpWindow = TimeSpan.Zero; }, behavior);
        await using var b = TestHost.Create(time, _folder.Path, [typeof(MinuteJob)], o => { o.NodeId = "node-b"; o.CatchUpWindow = TimeSpan.Zero; }, behavior);
        var settled = Merge(a, b);
        await a.StartAsync();
        await b.StartAsync();

        for (var minute = 1; minute <= 20; minute++)
        {
            a.MoveTo(Monday.AddMinutes(minute));
            var occurrence = await settled.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal((Monday.AddMinutes(minute), "output"), (occurrence.ScheduledAt, occurrence.Verdict));
        }

        var runs = (await a.Store.ReadCronRunsAsync()).Runs;
        Assert.Equal(20, runs.Count);
        Assert.All(runs, r => Assert.Equal(CronRunVerdict.Output, r.Verdict));
        var keys = behavior.Runs.Select(r => r.Key).ToList();
        Assert.Equal(20, keys.Count);
        Assert.Equal(20, keys.Distinct().Count());
    }

    [Fact]
    public async Task An_occurrence_whose_host_died_mid_run_is_taken_over_once_its_lease_runs_out()
    {
        var time = new FakeTimeProvider(Monday.AddMinutes(59));
        var started = new TaskCompletionSource();
        var dying = new TaskBehavior();
        dying.Set<HourlyJob>(async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        });
        var survivor = new TaskBehavior();
        var a = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => { o.NodeId = "node-a"; o.CatchUpWindow = TimeSpan.Zero; }, dying);
        await a.StartAsync();
        a.MoveTo(Monday.AddHours(1));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Node b starts while a runs the occurrence: its catch-up finds it held by a and waits for the lease.
        await using var b = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => o.NodeId = "node-b", survivor);
        await b.StartAsync();

        // Node a dies: its run stops without writing anything and its claim is no longer renewed.
        await a.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(61));
        var takenOver = await b.NextAsync(typeof(HourlyJob));

        Assert.Equal(("output", Monday.AddHours(1), 2), (takenOver.Verdict, takenOver.ScheduledAt, takenOver.Attempt));
        var run = Assert.Single((await b.Store.ReadCronRunsAsync()).Runs);
        Assert.Equal(CronRunVerdict.Output, run.Verdict);
    }

    [Fact]
    public async Task A_host_whose_claim_was_taken_over_runs_the_occurrence_when_the_host_that_took_it_over_dies()
    {
        // Each node has its own clock: node a's stands still while it is paused, node c's goes on past a's lease.
        var timeA = new FakeTimeProvider(Monday.AddMinutes(59));
        var timeC = new FakeTimeProvider(Monday.AddMinutes(59));
        var started = new TaskCompletionSource();
        var behavior = new TaskBehavior();
        var runs = 0;
        behavior.Set<HourlyJob>(async (context, ct) =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct); // the run node a loses
            }

            return "report " + context.SessionKey;
        });
        await using var a = TestHost.Create(timeA, _folder.Path, [typeof(HourlyJob)], o => { o.NodeId = "node-a"; o.CatchUpWindow = TimeSpan.Zero; }, behavior);
        await a.StartAsync();
        a.MoveTo(Monday.AddHours(1));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Node a pauses past its one-minute lease; node c takes the occurrence over, then dies before completing it.
        timeC.Advance(TimeSpan.FromMinutes(2));
        await using (var c = new FileSessionStore(_folder.Path, new FileSessionStoreOptions { Time = timeC }))
        {
            var taken = await c.TryClaimOccurrenceAsync(typeof(HourlyJob).FullName!, Monday.AddHours(1), "node-c", TimeSpan.FromMinutes(1));
            Assert.Equal((OccurrenceClaimStatus.Claimed, 2), (taken.Status, taken.Claim!.Attempt));
        }

        // Node a wakes: its next renewal finds the claim lost and cancels the run.
        timeA.Advance(TimeSpan.FromSeconds(20));
        var lost = await a.NextAsync(typeof(HourlyJob));

        // Node c's lease (to 01:02 by node a's clock) runs out: node a takes the occurrence back and runs it.
        a.MoveTo(Monday.AddHours(1).AddMinutes(2).AddSeconds(1));
        var ran = await a.NextAsync(typeof(HourlyJob));

        Assert.Equal(("cancelled", 1), (lost.Verdict, lost.Attempt));
        Assert.Equal(("output", Monday.AddHours(1), 3), (ran.Verdict, ran.ScheduledAt, ran.Attempt));
        var run = Assert.Single((await a.Store.ReadCronRunsAsync()).Runs);
        Assert.Equal((CronRunVerdict.Output, "report agent:main:cron:hourly-job:run:20260105T010000Z"), (run.Verdict, run.Summary));
    }

    [Fact]
    public async Task A_long_run_is_not_taken_over_while_its_host_renews_the_claim()
    {
        var time = new FakeTimeProvider(Monday.AddMinutes(59));
        var behavior = new TaskBehavior();
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        behavior.Set<HourlyJob>(async (context, ct) =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(ct);
            return "report " + context.SessionKey;
        });
        await using var a = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => { o.NodeId = "node-a"; o.CatchUpWindow = TimeSpan.Zero; }, behavior);
        await using var b = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => { o.NodeId = "node-b"; o.CatchUpWindow = TimeSpan.Zero; }, behavior);
        var renewals = System.Threading.Channels.Channel.CreateUnbounded<DateTimeOffset>();
        a.Scheduler.Renewed += (_, _, until) => renewals.Writer.TryWrite(until);
        b.Scheduler.Renewed += (_, _, until) => renewals.Writer.TryWrite(until);
        var merged = Merge(a, b);
        await a.StartAsync();
        await b.StartAsync();

        a.MoveTo(Monday.AddHours(1));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Ten leases long (a lease is one minute; the claim is renewed every 20 seconds).
        for (var i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromSeconds(20));
            var until = await renewals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(until > time.GetUtcNow());
        }

        release.SetResult();
        var settled = await merged.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(("output", 1), (settled.Verdict, settled.Attempt));
        Assert.Single(behavior.Runs);
        Assert.Single((await a.Store.ReadCronRunsAsync()).Runs);
    }

    private static System.Threading.Channels.Channel<SettledOccurrence> Merge(params TestHost[] hosts)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<SettledOccurrence>();
        foreach (var host in hosts)
        {
            host.Scheduler.Settled += o => channel.Writer.TryWrite(o);
        }

        return channel;
    }

    public void Dispose() => _folder.Dispose();
}
