using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Postgres;
using TestAgent;

namespace SessionKinds.Tests.PostgresEngine;

/// <summary>
/// Occurrence claims across nodes follow the rules of <see cref="SessionStore.TryClaimOccurrenceAsync"/> atomically; a
/// writer waiting longer than its lock timeout fails naming what it waited for, with nothing written; the engine runs
/// in the conformance suite wherever a server can be had.
/// </summary>
public sealed class ClaimsAndLocksTests
{
    [SkippableFact]
    public async Task Claims_are_made_held_renewed_taken_over_busy_and_done_as_on_every_engine()
    {
        await using var s = PostgresTestSupport.Create();
        var nodeB = s.OpenAnother();
        var task = "TestAgent.MorningBrief";
        var at = s.Time.GetUtcNow().AddMinutes(-1);
        var lease = TimeSpan.FromMinutes(5);

        var a = await s.Store.TryClaimOccurrenceAsync(task, at, "node-a", lease);
        Assert.Equal((OccurrenceClaimStatus.Claimed, "node-a", 1), (a.Status, a.Claim!.Claimant, a.Claim.Attempt));
        Assert.Equal(OccurrenceClaimStatus.Held, (await nodeB.TryClaimOccurrenceAsync(task, at, "node-b", lease)).Status);
        Assert.Equal(OccurrenceClaimStatus.TaskBusy, (await nodeB.TryClaimOccurrenceAsync(task, at.AddHours(1), "node-b", lease)).Status);
        s.Time.Advance(TimeSpan.FromMinutes(3));
        var renewed = await s.Store.TryClaimOccurrenceAsync(task, at, "node-a", lease);
        Assert.Equal((OccurrenceClaimStatus.Claimed, 1, s.Time.GetUtcNow() + lease), (renewed.Status, renewed.Claim!.Attempt, renewed.Claim.LeaseUntil));

        // node-a died: once its lease runs out node-b takes over (attempt 2) and runs it; then it is done for everyone.
        s.Time.Advance(TimeSpan.FromMinutes(6));
        var takeover = await nodeB.TryClaimOccurrenceAsync(task, at, "node-b", lease);
        Assert.Equal((OccurrenceClaimStatus.Claimed, "node-b", 2), (takeover.Status, takeover.Claim!.Claimant, takeover.Claim.Attempt));
        await nodeB.RunOccurrenceAsync(new MorningBrief { Answer = (_, _) => new(new TaskReply("Brief")) }, takeover.Claim, "cron:brief");
        Assert.Equal(OccurrenceClaimStatus.Done, (await s.Store.TryClaimOccurrenceAsync(task, at, "node-a", lease)).Status);
        Assert.Equal(OccurrenceClaimStatus.Claimed, (await s.Store.TryClaimOccurrenceAsync(task, at.AddHours(1), "node-a", lease)).Status);
        Assert.Single((await s.Store.ReadCronRunsAsync(task)).Runs);
    }

    [SkippableFact]
    public async Task Sixteen_nodes_claiming_one_occurrence_at_once_give_it_to_exactly_one()
    {
        await using var s = PostgresTestSupport.Create();
        var nodes = Enumerable.Range(0, 16).Select(_ => s.OpenAnother()).ToArray();
        var at = s.Time.GetUtcNow();

        for (var round = 0; round < 5; round++)
        {
            var occurrence = at.AddMinutes(round);
            var results = await Task.WhenAll(nodes.Select((node, i) => Task.Run(async () => await node.TryClaimOccurrenceAsync("TestAgent.QueuePoll", occurrence, $"node-{i}", TimeSpan.FromMinutes(1)))));

            var claimed = Assert.Single(results, r => r.Status == OccurrenceClaimStatus.Claimed);
            Assert.All(results.Where(r => r.Status != OccurrenceClaimStatus.Claimed), r => Assert.Equal(claimed.Claim!.Claimant, r.Claim!.Claimant));
            await nodes[int.Parse(claimed.Claim!.Claimant[5..], System.Globalization.CultureInfo.InvariantCulture)]
                .SkipOccurrenceAsync<QueuePoll>(occurrence, "done for the test");
        }
    }

    [SkippableFact]
    public async Task A_writer_that_waits_longer_than_its_lock_timeout_fails_saying_what_it_waited_for_and_writes_nothing()
    {
        await using var s = PostgresTestSupport.Create(settings => settings with { WaitTimeout = TimeSpan.FromSeconds(1) });
        await s.RunAsync<ChatTurn>("agent:main:main", "hello");
        var before = await s.SnapshotAsync();
        var handle = s.Store.StartSession<ChatTurn>("agent:main:main", "more");

        SessionStoreException error;
        await using (await s.Agent.HoldWriteLockAsync())
        {
            error = await Assert.ThrowsAsync<SessionStoreException>(async () => await s.Store.CompleteAsync(handle, "sure"));
        }

        Assert.Contains("Timed out after 1 s waiting for another writer of session agent:main:main", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{PostgresServerOrSkip.Get().Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("raise PostgresSessionStoreOptions.LockTimeout", error.Message, StringComparison.Ordinal);
        Assert.False(handle.IsCompleted);
        await s.AssertUnchangedSinceAsync(before, "a completion that timed out waiting");
        Assert.Equal("sure", (await s.Store.ReadTranscriptAsync((await s.Store.CompleteAsync(handle, "sure")).SessionId))!.Messages[^1].Content);
    }

    [SkippableFact]
    public void The_postgres_engine_runs_in_the_conformance_suite_wherever_a_server_can_be_had()
    {
        // Skips (saying why and how to run them) only where no server can be had outside CI and root.
        PostgresServerOrSkip.Get();
        Assert.True(PostgresTestServer.CanTry);
        Assert.Contains(StoreEngines.Registered, e => e.Name == "postgres");
        Assert.Null(PostgresTestServer.Unavailable);
    }
}
