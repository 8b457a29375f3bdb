using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// Writers in several threads (here) and several processes (<see cref="MultiProcessWriterTests"/>) on one agent lose no
/// update: exact counts of entries, complete transcripts and acks, rings never above their size.
/// </summary>
public sealed class ConcurrentWriterTests
{
    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Threads_sharing_one_store_and_threads_with_their_own_stores_lose_no_update(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        const int Writers = 8;
        const int PerWriter = 40;

        // Half the writers share the test's store; the others each open their own on the same agent.
        await Parallel.ForAsync(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (w, _) =>
        {
            var store = w % 2 == 0 ? s.Store : s.OpenAnother();
            for (var i = 0; i < PerWriter; i++)
            {
                await store.CompleteAsync(store.StartSession<ChatTurn>($"w{w}:{i}", $"prompt {w} {i}"), $"reply {w} {i}");
                await store.CompleteAsync(store.StartSession<ChatTurn>($"shared:{i % 5}", $"shared prompt {w} {i}"), $"shared reply {w} {i}");
                await store.CompleteAsync(store.StartSession<InboxCheck>($"w{w}:hb"), "HEARTBEAT_OK");
                await store.RecordCronRunAsync<QueuePoll>(CronRunVerdict.Skipped, $"{w} {i}");
            }
        });

        var entries = await s.Store.ReadSessionsAsync();
        Assert.Equal((Writers * PerWriter) + 5, entries.Count);
        foreach (var entry in entries.Where(e => e.Key.StartsWith('w')))
        {
            var parts = entry.Key[1..].Split(':');
            Assert.Equal(
                [("user", $"prompt {parts[0]} {parts[1]}"), ("assistant", $"reply {parts[0]} {parts[1]}")],
                (await s.Store.ReadTranscriptAsync(entry.SessionId!))!.Messages.Select(m => (m.Role, m.Content)));
        }

        // Five keys continued by every writer: one session each, every turn in its transcript, none twice.
        var shared = entries.Where(e => e.Key.StartsWith("shared:", StringComparison.Ordinal)).ToList();
        var turns = new List<string>();
        foreach (var entry in shared)
        {
            var transcript = (await s.Store.ReadTranscriptAsync(entry.SessionId!))!;
            Assert.Equal(0, transcript.SkippedLines);
            turns.AddRange(transcript.Messages.Where(m => m.Role == "assistant").Select(m => m.Content));
        }

        Assert.Equal(Writers * PerWriter, turns.Count);
        Assert.Equal(Writers * PerWriter, turns.Distinct().Count());
        Assert.Equal(Writers * PerWriter, (await s.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Equal((50, 50), await s.Agent.CountStoredRingEntriesAsync(HeartbeatSessionAttribute.DefaultRingFile));
        Assert.Equal(SessionStoreOptions.DefaultCronRunsToKeep, (await s.Store.ReadCronRunsAsync()).Runs.Count);
        Assert.Empty(await s.Agent.FindIntegrityProblemsAsync());
    }
}
