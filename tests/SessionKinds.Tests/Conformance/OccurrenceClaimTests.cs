using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// Occurrence claims (<see cref="SessionStore.TryClaimOccurrenceAsync"/>), by which hosts sharing a store run each scheduled
/// occurrence once: a new occurrence is claimed, held for others while its lease lasts, renewed by its claimant, taken over
/// after its lease ran out (the attempt counts up), done once a run or a skip of it landed (in the same commit: a failed
/// commit leaves it claimable, and a second completion of a done occurrence is refused whole), one occurrence of a task at
/// a time (TaskBusy), and forgotten after the retention. Claimants racing in threads and in processes get exactly one
/// <see cref="OccurrenceClaimStatus.Claimed"/> per occurrence.
/// </summary>
public sealed class OccurrenceClaimTests
{
    private const string Brief = "TestAgent.MorningBrief";
    private const string Inbox = "TestAgent.InboxCheck";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly DateTimeOffset Due = new(2025, 1, 2, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_new_occurrence_is_claimed_held_for_others_and_renewed_by_its_claimant(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var other = s.OpenAnother();

        var first = await s.Store.TryClaimOccurrenceAsync(Brief, Due.AddTicks(1234), "node-a", Lease);
        Assert.Equal(OccurrenceClaimStatus.Claimed, first.Status);
        Assert.Equal(new OccurrenceClaim(Brief, Due, "node-a", s.Time.GetUtcNow() + Lease, 1), first.Claim); // to the millisecond

        s.Time.Advance(TimeSpan.FromMinutes(4));
        var held = await other.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease);
        Assert.Equal(new OccurrenceClaimResult(OccurrenceClaimStatus.Held, first.Claim), held);

        // The claimant renews (a long run renews before half its lease is gone): same attempt, a later lease.
        var renewed = await other.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease);
        Assert.Equal(new OccurrenceClaimResult(OccurrenceClaimStatus.Claimed, first.Claim! with { LeaseUntil = s.Time.GetUtcNow() + Lease }), renewed);

        // Past the first lease but within the renewed one: still held.
        s.Time.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(new OccurrenceClaimResult(OccurrenceClaimStatus.Held, renewed.Claim), await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease));

        // Another task's occurrence at the same instant is its own.
        Assert.Equal(OccurrenceClaimStatus.Claimed, (await s.Store.TryClaimOccurrenceAsync(Inbox, Due, "node-b", Lease)).Status);

        // Claims write no session, state, ring or run.
        Assert.Empty(await s.Store.ReadSessionsAsync());
        Assert.Empty((await s.Store.ReadCronRunsAsync()).Runs);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task An_occurrence_whose_lease_ran_out_is_taken_over_with_the_next_attempt(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var first = (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Claim!;

        // The lease holds until its last millisecond, and has run out at it.
        s.Time.Advance(Lease - TimeSpan.FromMilliseconds(1));
        Assert.Equal(OccurrenceClaimStatus.Held, (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease)).Status);
        s.Time.Advance(TimeSpan.FromMilliseconds(1));
        var takeover = await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease);

        Assert.Equal(new OccurrenceClaimResult(OccurrenceClaimStatus.Claimed, new OccurrenceClaim(Brief, Due, "node-b", s.Time.GetUtcNow() + Lease, 2)), takeover);
        Assert.Equal(new OccurrenceClaimResult(OccurrenceClaimStatus.Held, takeover.Claim), await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease));
        Assert.Equal(first with { Claimant = "node-b", LeaseUntil = takeover.Claim!.LeaseUntil, Attempt = 2 }, takeover.Claim);

        // And again: the first claimant comes back after the second lease ran out.
        s.Time.Advance(Lease);
        Assert.Equal(3, (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Claim!.Attempt);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Running_or_skipping_an_occurrence_makes_it_done_for_every_claimant(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var other = s.OpenAnother();

        // A cron run with output: its session, its run record and the occurrence land together.
        var claim = (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Claim!;
        var outcome = await s.Store.RunOccurrenceAsync(new MorningBrief { Answer = (_, _) => new(new TaskReply("Brief: 2 meetings")) }, claim, "cron:brief", "brief");
        Assert.Equal(ReplyVerdict.Output, outcome.Verdict);
        var done = await other.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease);
        Assert.Equal(OccurrenceClaimStatus.Done, done.Status);
        Assert.Equal((Brief, Due), (done.Claim!.Task, done.Claim.ScheduledAt));
        Assert.Equal(OccurrenceClaimStatus.Done, (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Status);

        // Done stays done after every lease ran out.
        s.Time.Advance(Lease * 3);
        Assert.Equal(OccurrenceClaimStatus.Done, (await other.TryClaimOccurrenceAsync(Brief, Due, "node-c", Lease)).Status);

        // A heartbeat ack writes no session, and still completes its occurrence.
        var inboxClaim = (await s.Store.TryClaimOccurrenceAsync(Inbox, Due, "node-a", Lease)).Claim!;
        Assert.Equal(ReplyVerdict.Ack, (await s.Store.RunOccurrenceAsync(new InboxCheck(), inboxClaim, "agent:main:hb")).Verdict);
        Assert.Equal(OccurrenceClaimStatus.Done, (await other.TryClaimOccurrenceAsync(Inbox, Due, "node-b", Lease)).Status);

        // A task that throws completes its occurrence too (its run record says failed).
        var later = Due.AddHours(1);
        var failing = (await s.Store.TryClaimOccurrenceAsync(Brief, later, "node-a", Lease)).Claim!;
        await Assert.ThrowsAsync<TimeoutException>(async () => await s.Store.RunOccurrenceAsync(new MorningBrief { Answer = (_, _) => throw new TimeoutException("model timed out") }, failing, "cron:brief"));
        Assert.Equal(OccurrenceClaimStatus.Done, (await other.TryClaimOccurrenceAsync(Brief, later, "node-b", Lease)).Status);

        // A skip, claimed or not, is done at once and recorded for a cron task.
        var skippedAt = Due.AddHours(2);
        await s.Store.SkipOccurrenceAsync<MorningBrief>(skippedAt, "the previous run was still going");
        await s.Store.SkipOccurrenceAsync<InboxCheck>(skippedAt, "outside active hours");
        Assert.Equal(OccurrenceClaimStatus.Done, (await other.TryClaimOccurrenceAsync(Brief, skippedAt, "node-b", Lease)).Status);
        Assert.Equal(OccurrenceClaimStatus.Done, (await other.TryClaimOccurrenceAsync(Inbox, skippedAt, "node-b", Lease)).Status);

        Assert.Equal(
            [(CronRunVerdict.Output, "Brief: 2 meetings"), (CronRunVerdict.Failed, "TimeoutException: model timed out"), (CronRunVerdict.Skipped, "the previous run was still going")],
            (await s.Store.ReadCronRunsAsync(Brief)).Runs.Select(r => (r.Verdict, r.Summary)));
        Assert.Equal(["cron:brief"], (await s.Store.ReadSessionsAsync()).Select(e => e.Key));
        Assert.Equal(1, (await s.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_host_that_lost_its_claim_cannot_complete_the_occurrence_again_and_writes_nothing(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var other = s.OpenAnother();

        // node-a claims both occurrences, is paused past its lease; node-b takes them over and completes them: a cron run
        // with output (entry, transcript, run record) and a heartbeat alert (entry, transcript, state, ring).
        var staleBrief = (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Claim!;
        var staleInbox = (await s.Store.TryClaimOccurrenceAsync(Inbox, Due, "node-a", Lease)).Claim!;
        s.Time.Advance(Lease);
        var brief = (await other.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease)).Claim!;
        var inbox = (await other.TryClaimOccurrenceAsync(Inbox, Due, "node-b", Lease)).Claim!;
        await other.RunOccurrenceAsync(new MorningBrief { Answer = (_, _) => new(new TaskReply("Brief: 2 meetings")) }, brief, "cron:brief", "brief");
        await other.RunOccurrenceAsync(new InboxCheck { Answer = _ => new TaskReply("3 unread mails from the bank") }, inbox, "agent:main:hb", "check");
        var before = await s.SnapshotAsync();

        // node-a wakes up and completes them with its stale claims, each in a way that would write every part: refused whole.
        var briefError = await Assert.ThrowsAsync<OccurrenceAlreadyDoneException>(async () =>
            await s.Store.RunOccurrenceAsync(new MorningBrief { Answer = (_, _) => new(new TaskReply("Brief: a late second run")) }, staleBrief, "cron:brief", "brief"));
        var inboxError = await Assert.ThrowsAsync<OccurrenceAlreadyDoneException>(async () =>
            await s.Store.RunOccurrenceAsync(new InboxCheck { Answer = _ => new TaskReply("a late second alert") }, staleInbox, "agent:main:hb", "check"));
        var skipError = await Assert.ThrowsAsync<OccurrenceAlreadyDoneException>(async () => await s.Store.SkipOccurrenceAsync<MorningBrief>(Due, "the previous run was still going"));

        // A stale run whose task throws cannot record its failure either: the task's error comes with the refusal.
        var failed = await Assert.ThrowsAsync<AggregateException>(async () =>
            await s.Store.RunOccurrenceAsync(new MorningBrief { Answer = (_, _) => throw new TimeoutException("model timed out") }, staleBrief, "cron:brief"));
        Assert.Collection(failed.InnerExceptions, e => Assert.IsType<TimeoutException>(e), e => Assert.IsType<OccurrenceAlreadyDoneException>(e));

        Assert.Equal((new ScheduledOccurrence(Brief, Due), "node-b"), (briefError.Occurrence, briefError.CompletedBy));
        Assert.Equal((new ScheduledOccurrence(Inbox, Due), "node-b"), (inboxError.Occurrence, inboxError.CompletedBy));
        Assert.Equal(new ScheduledOccurrence(Brief, Due), skipError.Occurrence);
        await s.AssertUnchangedSinceAsync(before, "a second completion of a done occurrence was refused");

        // Through the store as well: one session each, node-b's replies, one run record, one ring entry, state of the first alert.
        Assert.Equal([(CronRunVerdict.Output, "Brief: 2 meetings")], (await s.Store.ReadCronRunsAsync()).Runs.Select(r => (r.Verdict, r.Summary)));
        var entries = await s.Store.ReadSessionsAsync();
        Assert.Equal(["agent:main:hb", "cron:brief"], entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var entry in entries)
        {
            Assert.Equal(2, (await s.Store.ReadTranscriptAsync(entry.SessionId!))!.Messages.Count);
        }

        Assert.Equal([HeartbeatResult.Alert], (await s.Store.ReadHeartbeatRingAsync()).Entries.Select(e => e.Result));
        Assert.Equal("3 unread mails from the bank", (await s.Store.ReadHeartbeatStateAsync()).LastAlertSummary);

        // An occurrence skipped without a claim is refused the same way (nobody is named as its completer).
        var skippedAt = Due.AddHours(1);
        await other.SkipOccurrenceAsync<InboxCheck>(skippedAt, "outside active hours");
        var afterSkip = await s.SnapshotAsync();
        var skipped = await Assert.ThrowsAsync<OccurrenceAlreadyDoneException>(async () => await s.Store.SkipOccurrenceAsync<InboxCheck>(skippedAt, "again"));
        Assert.Null(skipped.CompletedBy);
        await s.AssertUnchangedSinceAsync(afterSkip, "a second skip of a skipped occurrence was refused");
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_run_cancelled_by_its_caller_leaves_the_occurrence_to_be_taken_over(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var claim = (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Claim!;
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

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await s.Store.RunOccurrenceAsync(task, claim, "cron:brief", cancellationToken: cancel.Token));

        Assert.Equal(OccurrenceClaimStatus.Held, (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease)).Status);
        s.Time.Advance(Lease);
        var takeover = await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease);
        Assert.Equal((OccurrenceClaimStatus.Claimed, 2), (takeover.Status, takeover.Claim!.Attempt));
        Assert.Empty((await s.Store.ReadCronRunsAsync()).Runs);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.With), StoreCapability.CommitFaults, MemberType = typeof(StoreEngines))]
    public async Task A_failure_in_the_commit_that_completes_an_occurrence_leaves_it_claimable(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var cronStep = s.Engine.CommitSteps.First(step => step.Holds.HasFlag(PersistTargets.CronRun));
        var claim = (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Claim!;
        var before = await s.SnapshotAsync();

        // The run's commit fails at its run record: nothing of it lands, the occurrence is not done.
        using (s.Agent.FailAt(cronStep))
        {
            await Assert.ThrowsAnyAsync<SessionStoreException>(async () =>
                await s.Store.RunOccurrenceAsync(new MorningBrief { Answer = (_, _) => new(new TaskReply("Brief")) }, claim, "cron:brief"));
        }

        await s.AssertUnchangedSinceAsync(before, "a failed completion of an occurrence");
        Assert.Equal(OccurrenceClaimStatus.Held, (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease)).Status);
        Assert.Equal((OccurrenceClaimStatus.Claimed, 1), ((await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Status, claim.Attempt));

        // A skip whose commit fails is not done either.
        var skippedAt = Due.AddHours(1);
        using (s.Agent.FailAt(cronStep))
        {
            await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await s.Store.SkipOccurrenceAsync<MorningBrief>(skippedAt, "busy"));
        }

        Assert.Equal(OccurrenceClaimStatus.TaskBusy, (await s.Store.TryClaimOccurrenceAsync(Brief, skippedAt, "node-b", Lease)).Status);

        // Once the lease ran out, another claimant takes the first occurrence over and completes it.
        s.Time.Advance(Lease);
        var takeover = (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-b", Lease)).Claim!;
        Assert.Equal(2, takeover.Attempt);
        await s.Store.RunOccurrenceAsync(new MorningBrief { Answer = (_, _) => new(new TaskReply("Brief")) }, takeover, "cron:brief");
        Assert.Equal(OccurrenceClaimStatus.Done, (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Status);
        Assert.Equal(OccurrenceClaimStatus.Claimed, (await s.Store.TryClaimOccurrenceAsync(Brief, skippedAt, "node-b", Lease)).Status);
        Assert.Single((await s.Store.ReadCronRunsAsync()).Runs);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task One_occurrence_of_a_task_runs_at_a_time(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var next = Due.AddMinutes(30);
        var running = (await s.Store.TryClaimOccurrenceAsync(Brief, Due, "node-a", Lease)).Claim!;

        // While the first occurrence's lease holds, the next one is busy for everyone, its claimant included.
        Assert.Equal(new OccurrenceClaimResult(OccurrenceClaimStatus.TaskBusy, running), await s.Store.TryClaimOccurrenceAsync(Brief, next, "node-b", Lease));
        Assert.Equal(new OccurrenceClaimResult(OccurrenceClaimStatus.TaskBusy, running), await s.Store.TryClaimOccurrenceAsync(Brief, next, "node-a", Lease));
        Assert.Equal(OccurrenceClaimStatus.Claimed, (await s.Store.TryClaimOccurrenceAsync(Inbox, next, "node-b", Lease)).Status);

        // Done: the next one is free.
        await s.Store.RunOccurrenceAsync(new MorningBrief(), running, "cron:brief");
        var second = await s.Store.TryClaimOccurrenceAsync(Brief, next, "node-b", Lease);
        Assert.Equal((OccurrenceClaimStatus.Claimed, 1), (second.Status, second.Claim!.Attempt));

        // A claim whose lease ran out does not keep its task busy.
        var third = next.AddMinutes(30);
        Assert.Equal(OccurrenceClaimStatus.TaskBusy, (await s.Store.TryClaimOccurrenceAsync(Brief, third, "node-a", Lease)).Status);
        s.Time.Advance(Lease);
        Assert.Equal(OccurrenceClaimStatus.Claimed, (await s.Store.TryClaimOccurrenceAsync(Brief, third, "node-a", Lease)).Status);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Claims_older_than_the_retention_are_forgotten(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var old = Clock.Start.AddMinutes(-1);
        await s.Store.SkipOccurrenceAsync<MorningBrief>(old, "skipped");
        var held = (await s.Store.TryClaimOccurrenceAsync(Inbox, old, "node-a", Lease)).Claim!;

        // Six days on (the default retention is seven): still known.
        s.Time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(OccurrenceClaimStatus.Done, (await s.Store.TryClaimOccurrenceAsync(Brief, old, "node-b", Lease)).Status);
        Assert.Equal(2, (await s.Store.TryClaimOccurrenceAsync(Inbox, old, "node-b", Lease)).Claim!.Attempt);

        // Past the retention, measured from when the occurrence was due: gone, as if never claimed.
        s.Time.Advance(TimeSpan.FromDays(1));
        var again = await s.Store.TryClaimOccurrenceAsync(Brief, old, "node-c", Lease);
        Assert.Equal((OccurrenceClaimStatus.Claimed, 1), (again.Status, again.Claim!.Attempt));
        Assert.Equal(1, (await s.Store.TryClaimOccurrenceAsync(Inbox, old, "node-c", Lease)).Claim!.Attempt);
        Assert.Equal(1, held.Attempt);

        // A recent occurrence is kept beside them.
        var recent = s.Time.GetUtcNow();
        await s.Store.SkipOccurrenceAsync<InboxCheck>(recent, "quiet hours");
        Assert.Equal(OccurrenceClaimStatus.Done, (await s.Store.TryClaimOccurrenceAsync(Inbox, recent, "node-a", Lease)).Status);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Claimants_racing_in_threads_get_exactly_one_claim_per_occurrence(string engine)
    {
        const int Claimants = 8;
        const int Tasks = 25;
        await using var s = StoreUnderTest.Create(engine);
        var claimed = new int[Tasks];
        var other = new int[Tasks];

        await Parallel.ForAsync(0, Claimants, new ParallelOptions { MaxDegreeOfParallelism = Claimants }, async (c, _) =>
        {
            var store = c % 2 == 0 ? s.Store : s.OpenAnother();
            foreach (var t in Enumerable.Range(0, Tasks).OrderBy(t => (t * 7919) ^ (c * 104729)))
            {
                var result = await store.TryClaimOccurrenceAsync($"Task{t}", Due, $"node-{c}", Lease);
                Interlocked.Increment(ref result.Status == OccurrenceClaimStatus.Claimed ? ref claimed[t] : ref other[t]);
                Assert.True(result.Status is OccurrenceClaimStatus.Claimed or OccurrenceClaimStatus.Held, $"Task{t}: {result}");
            }
        });

        Assert.All(claimed, count => Assert.Equal(1, count));
        Assert.All(other, count => Assert.Equal(Claimants - 1, count));
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    [Trait("Category", "Guarantees")]
    public async Task Claimants_racing_in_processes_get_exactly_one_claim_per_occurrence(string engine)
    {
        const int Processes = 4;
        const int Tasks = 60;
        await using var s = StoreUnderTest.Create(engine);

        // The children use the system clock: the occurrences are due now, well inside the retention.
        var due = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var results = await Task.WhenAll(Enumerable.Range(0, Processes).Select(p => WriterChild.RunAsync(
            TimeSpan.FromMinutes(5), WriterChild.Arguments("claim", s.Agent, $"node-{p}", $"{Tasks}", $"{due.ToUnixTimeMilliseconds()}", $"{p}"))));

        var claimedBy = new Dictionary<string, List<string>>();
        foreach (var (exitCode, stdout, error) in results)
        {
            Assert.True(exitCode == 0, $"claimant failed ({exitCode}): {error}");
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(Tasks + 1, lines.Length);
            foreach (var line in lines.SkipLast(1))
            {
                var parts = line.Split(' '); // <status> <task> <claimant>
                Assert.True(parts[0] is "Claimed" or "Held", line);
                if (parts[0] == "Claimed")
                {
                    (claimedBy.TryGetValue(parts[1], out var list) ? list : claimedBy[parts[1]] = []).Add(parts[2]);
                }
            }
        }

        Assert.Equal(Tasks, claimedBy.Count);
        Assert.All(claimedBy, pair => Assert.True(pair.Value.Count == 1, $"{pair.Key} was claimed by {string.Join(", ", pair.Value)}"));

        // What they claimed holds for this process too.
        var store = s.OpenAnother(s.Settings with { Time = TimeProvider.System });
        foreach (var (task, claimants) in claimedBy)
        {
            var result = await store.TryClaimOccurrenceAsync(task, due, "node-test", Lease);
            Assert.Equal((OccurrenceClaimStatus.Held, claimants[0]), (result.Status, result.Claim!.Claimant));
        }
    }
}
