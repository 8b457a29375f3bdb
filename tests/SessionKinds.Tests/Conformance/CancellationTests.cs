using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// Waiting for another writer is awaited and can be cancelled: the cancelled operation throws
/// <see cref="OperationCanceledException"/>, nothing of it is written, and the same session completes fine afterwards.
/// The other writer holds the engine's write lock from this process and from another one.
/// </summary>
public sealed class CancellationTests
{
    public static TheoryData<string, string> EnginesAndHolders()
    {
        var data = new TheoryData<string, string>();
        foreach (var engine in StoreEngines.Registered)
        {
            data.Add(engine.Name, "this process");
            data.Add(engine.Name, "another process");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesAndHolders))]
    public async Task A_completion_cancelled_while_it_waits_for_the_lock_writes_nothing_and_can_complete_later(string engine, string holder)
    {
        await using var s = StoreUnderTest.Create(engine);
        var first = await s.RunAsync<InboxCheck>("agent:main:hb", "Disk 97% full");
        var before = await s.SnapshotAsync();
        var handle = s.Store.StartSession<InboxCheck>("agent:main:hb", "again?");
        var ack = s.Store.StartSession<InboxCheck>("agent:main:hb");
        var brief = s.Store.StartSession<MorningBrief>("cron:brief");

        await using (await HoldAsync(s.Agent, holder))
        {
            using var cancel = new CancellationTokenSource();
            Task[] waiting =
            [
                s.Store.CompleteAsync(handle, "Still 97% full", cancel.Token).AsTask(),
                s.Store.CompleteAsync(ack, "HEARTBEAT_OK", cancel.Token).AsTask(),
                s.Store.CompleteAsync(brief, "Brief", cancel.Token).AsTask(),
                DiskCheck.OpenHeartbeatRing(s.Store).AppendAlertAsync("disk", cancel.Token).AsTask(),
                s.Store.RecordCronRunAsync<QueuePoll>(CronRunVerdict.Skipped, "busy", default, cancel.Token).AsTask(),
                s.Store.RunAsync(new ChatTurn(), "agent:main:main", "hi", cancel.Token).AsTask(),
            ];

            // The lock is held, so none can have finished: each is waiting for it.
            Assert.All(waiting, w => Assert.False(w.IsCompleted, $"an operation completed while another writer held the lock: {w.Status}"));
            await cancel.CancelAsync();
            foreach (var task in waiting)
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
            }

            Assert.False(handle.IsCompleted);
            await s.AssertUnchangedSinceAsync(before, "cancelled operations write nothing");
        }

        // Released: the same handles complete, each exactly once.
        var outcome = await s.Store.CompleteAsync(handle, "Still 97% full");
        await s.Store.CompleteAsync(ack, "HEARTBEAT_OK");
        await s.Store.CompleteAsync(brief, "Brief");

        Assert.Equal(first.SessionId, outcome.SessionId);
        Assert.Equal(["prompt", "Disk 97% full", "again?", "Still 97% full"], (await s.Store.ReadTranscriptAsync(first.SessionId))!.Messages.Select(m => m.Content));
        Assert.Equal(["Disk 97% full", "Still 97% full", ""], (await s.Store.ReadHeartbeatRingAsync()).Entries.Select(e => e.Summary));
        Assert.Equal(1, (await s.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Equal([CronRunVerdict.Output], (await s.Store.ReadCronRunsAsync()).Runs.Select(r => r.Verdict));
        Assert.Equal(0, (await s.Store.ReadHeartbeatRingAsync("heartbeat-ring-disk.json")).MaxEntries);
        Assert.Equal(2, (await s.Store.ReadSessionsAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task An_operation_cancelled_before_it_starts_writes_nothing(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var before = await s.SnapshotAsync();
        var cancelled = new CancellationToken(canceled: true);
        var handle = s.Store.StartSession(SessionKind.User, "k", "p");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await s.Store.CompleteAsync(handle, "r", cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await InboxCheck.OpenHeartbeatRing(s.Store).AppendOkAsync(null, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await s.Store.RecordCronRunAsync<MorningBrief>(CronRunVerdict.Skipped, null, default, cancelled));

        await s.AssertUnchangedSinceAsync(before, "cancelled operations write nothing");
        Assert.False(handle.IsCompleted);
        Assert.Equal("r", (await s.Store.ReadTranscriptAsync((await s.Store.CompleteAsync(handle, "r")).SessionId))!.Messages[^1].Content);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_second_completion_of_a_waiting_session_is_refused_at_once(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var handle = s.Store.StartSession(SessionKind.User, "k", "p");
        Task<SessionOutcome> first;
        await using (await s.Agent.HoldWriteLockAsync())
        {
            first = s.Store.CompleteAsync(handle, "one").AsTask();
            Assert.False(first.IsCompleted);

            var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await s.Store.CompleteAsync(handle, "two"));
            Assert.Contains("being completed by another caller", ex.Message, StringComparison.Ordinal);
        }

        await first;
        Assert.Equal(["p", "one"], (await s.Store.ReadTranscriptAsync(handle.SessionId))!.Messages.Select(m => m.Content));
    }

    /// <summary>Holds the engine's write lock in this process, or in a writer child process until it is killed.</summary>
    private static async Task<IAsyncDisposable> HoldAsync(StoreAgent agent, string holder)
    {
        if (holder == "this process")
        {
            return await agent.HoldWriteLockAsync();
        }

        var child = RunningWriter.Start(WriterChild.Arguments("hold-lock", agent));
        await child.WaitForLinesAsync(1).WaitAsync(TimeSpan.FromSeconds(120));
        return new KillOnDispose(child);
    }

    private sealed class KillOnDispose(RunningWriter child) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            var exit = await child.KillAsync(TimeSpan.FromSeconds(120));
            child.Dispose();
            Assert.True(exit.WasRunning && exit.Lines.Count == 1 && exit.Lines[0].StartsWith("locked ", StringComparison.Ordinal), $"the lock holder failed: {string.Join(" | ", exit.Lines)} {exit.Error}");
        }
    }
}
