using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// The cron run record: every run of a cron task, whatever its verdict, bounded per task (a frequent task never pushes
/// another task's runs out), oldest first, with durations and shortened summaries.
/// </summary>
public sealed class CronRunTests
{
    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Each_task_keeps_its_own_newest_runs_and_a_frequent_task_never_pushes_another_out(string engine)
    {
        await using var s = StoreUnderTest.Create(engine, settings => settings with { CronRunsToKeep = 3 });
        await s.RunAsync<MorningBrief>("cron:brief", "Brief 1");
        s.Time.Advance(TimeSpan.FromSeconds(1));
        await s.RunAsync<MorningBrief>("cron:brief", "NO_REPLY");
        for (var i = 0; i < 20; i++)
        {
            s.Time.Advance(TimeSpan.FromMinutes(5));
            var outcome = await s.RunAsync<QueuePoll>($"cron:poll:{i}", i % 4 == 0 ? $"Queue {i} has work" : "");
            Assert.True(outcome.Written.HasFlag(PersistTargets.CronRun));

            // As stored: never more than 3 runs of the frequent task, and the daily task's two stay.
            var stored = (await s.Store.ReadCronRunsAsync()).Runs;
            Assert.Equal(Math.Min(i + 1, 3), stored.Count(r => r.Task == "TestAgent.QueuePoll"));
            Assert.Equal(2, stored.Count(r => r.Task == "TestAgent.MorningBrief"));
        }

        var all = await s.Store.ReadCronRunsAsync();
        Assert.Equal(3, all.MaxEntries);
        Assert.Equal(
            [("TestAgent.MorningBrief", "Brief 1"), ("TestAgent.MorningBrief", "NO_REPLY"), ("TestAgent.QueuePoll", ""), ("TestAgent.QueuePoll", ""), ("TestAgent.QueuePoll", "")],
            all.Runs.Select(r => (r.Task, r.Summary)));
        Assert.Equal(all.Runs.OrderBy(r => r.Timestamp), all.Runs);
        Assert.Equal(Clock.WholeSeconds(s.Time.GetUtcNow()), all.Runs[^1].Timestamp);

        var brief = await s.Store.ReadCronRunsAsync("TestAgent.MorningBrief");
        Assert.Equal(all.Runs.Take(2), brief.Runs);
        Assert.Equal(3, brief.MaxEntries);
        Assert.Equal(all.Runs.Skip(2), (await s.Store.ReadCronRunsAsync("TestAgent.QueuePoll")).Runs);
        Assert.Empty((await s.Store.ReadCronRunsAsync("TestAgent.Nothing")).Runs);

        // Seven more of the daily task now bound it to its own newest three.
        for (var i = 2; i < 9; i++)
        {
            await s.RunAsync<MorningBrief>("cron:brief", $"Brief {i}");
        }

        Assert.Equal(["Brief 6", "Brief 7", "Brief 8"], (await s.Store.ReadCronRunsAsync("TestAgent.MorningBrief")).Runs.Select(r => r.Summary));
        Assert.Equal(3, (await s.Store.ReadCronRunsAsync("TestAgent.QueuePoll")).Runs.Count);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task All_four_verdicts_are_recorded_with_their_summaries_and_durations(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);

        // Output and silent: a completion records its run; the duration runs from the session's start, to the millisecond.
        var output = s.Store.StartSession<MorningBrief>("cron:brief", "Write the brief");
        s.Time.Advance(TimeSpan.FromMilliseconds(1_234.9));
        await s.Store.CompleteAsync(output, "Brief: " + new string('b', 300));
        var silent = s.Store.StartSession<MorningBrief>("cron:brief");
        s.Time.Advance(TimeSpan.FromSeconds(2));
        await s.Store.CompleteAsync(silent, "NO_REPLY");

        // Failed: the task threw; RunAsync records it and rethrows.
        var failing = new MorningBrief
        {
            Answer = (context, _) =>
            {
                ((Microsoft.Extensions.Time.Testing.FakeTimeProvider)context.Time).Advance(TimeSpan.FromMilliseconds(750));
                throw new HttpRequestException("calendar API: 503 Service Unavailable");
            },
        };
        await Assert.ThrowsAsync<HttpRequestException>(async () => await s.Store.RunAsync(failing, "cron:brief"));

        // Skipped (and a failure recorded by a host): RecordCronRunAsync.
        var skipped = await s.Store.RecordCronRunAsync<MorningBrief>(CronRunVerdict.Skipped, "the previous run was still going");
        var recordedFailure = await s.Store.RecordCronRunAsync<QueuePoll>(CronRunVerdict.Failed, "  timed out after " + new string('t', 400), TimeSpan.FromMilliseconds(30_000.7));

        var at = Clock.WholeSeconds(s.Time.GetUtcNow());
        Assert.Equal(new CronRun(at, "TestAgent.MorningBrief", CronRunVerdict.Skipped, "the previous run was still going", TimeSpan.Zero), skipped);
        var runs = (await s.Store.ReadCronRunsAsync()).Runs;
        Assert.Equal(
            [
                new CronRun(Clock.WholeSeconds(Clock.Start.AddMilliseconds(1_234.9)), "TestAgent.MorningBrief", CronRunVerdict.Output, runs[0].Summary, TimeSpan.FromMilliseconds(1_234)),
                new CronRun(Clock.WholeSeconds(Clock.Start.AddMilliseconds(3_234.9)), "TestAgent.MorningBrief", CronRunVerdict.Silent, "NO_REPLY", TimeSpan.FromSeconds(2)),
                new CronRun(at, "TestAgent.MorningBrief", CronRunVerdict.Failed, "HttpRequestException: calendar API: 503 Service Unavailable", TimeSpan.FromMilliseconds(750)),
                skipped,
                recordedFailure,
            ],
            runs);
        Assert.Equal(SessionRoutes.SummaryMaxChars, runs[0].Summary.Length);
        Assert.StartsWith("Brief: bbb", runs[0].Summary, StringComparison.Ordinal);
        Assert.EndsWith("…", runs[0].Summary, StringComparison.Ordinal);
        Assert.StartsWith("timed out after ttt", recordedFailure.Summary, StringComparison.Ordinal);
        Assert.Equal(SessionRoutes.SummaryMaxChars, recordedFailure.Summary.Length);
        Assert.Equal(TimeSpan.FromMilliseconds(30_000), recordedFailure.Duration);

        // Only the output run persisted a session.
        Assert.Single(await s.Store.ReadSessionsAsync());
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Explicit_kind_cron_sessions_record_their_runs_under_their_own_name(string engine)
    {
        await using var s = StoreUnderTest.Create(engine, settings => settings with { CronRunsToKeep = 2 });
        for (var i = 0; i < 4; i++)
        {
            await s.RunAsync(SessionKind.Cron, $"cron:dynamic:{i}", i % 2 == 0 ? "" : $"dynamic output {i}");
        }

        await s.RunAsync<MorningBrief>("cron:brief", "");

        Assert.Equal(
            [("SessionKind.Cron", CronRunVerdict.Silent), ("SessionKind.Cron", CronRunVerdict.Output), ("TestAgent.MorningBrief", CronRunVerdict.Silent)],
            (await s.Store.ReadCronRunsAsync()).Runs.Select(r => (r.Task, r.Verdict)));
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_run_record_with_invalid_arguments_is_refused_before_anything_is_written(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var before = await s.SnapshotAsync();

        var verdict = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await s.Store.RecordCronRunAsync<MorningBrief>((CronRunVerdict)9));
        var duration = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await s.Store.RecordCronRunAsync<MorningBrief>(CronRunVerdict.Skipped, "x", TimeSpan.FromSeconds(-1)));

        Assert.Equal("verdict", verdict.ParamName);
        Assert.Equal("duration", duration.ParamName);
        await s.AssertUnchangedSinceAsync(before, "refused run records write nothing");
        Assert.Equal(CronRunVerdict.Skipped, (await s.Store.RecordCronRunAsync<MorningBrief>(CronRunVerdict.Skipped)).Verdict);
        Assert.Equal("", Assert.Single((await s.Store.ReadCronRunsAsync()).Runs).Summary);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_cron_task_cancelled_by_its_caller_records_no_failed_run(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        using var cancel = new CancellationTokenSource();
        var task = new MorningBrief
        {
            Answer = (_, token) =>
            {
                cancel.Cancel();
                token.ThrowIfCancellationRequested();
                return new(new TaskReply("never"));
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await s.Store.RunAsync(task, "cron:brief", cancellationToken: cancel.Token));

        Assert.Empty((await s.Store.ReadCronRunsAsync()).Runs);

        // A cancellation the task raised on its own (not the caller's token) is a failure like any other.
        var own = new MorningBrief { Answer = (_, _) => throw new OperationCanceledException("the model call was cancelled") };
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await s.Store.RunAsync(own, "cron:brief"));
        Assert.Equal(CronRunVerdict.Failed, Assert.Single((await s.Store.ReadCronRunsAsync()).Runs).Verdict);
    }
}
