using System.Diagnostics;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionKinds.Tests.PostgresEngine;

/// <summary>
/// Three gateway nodes — three writer processes, each with its own store and connection pool — on one PostgreSQL
/// database and agent, 4 threads each, 250 sessions per thread, each session followed by a heartbeat ack: exactly 3,000
/// entries, 3,000 complete transcripts and 3,000 acks counted, the rings at their bound, nothing left locked.
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class MultiNodeTests(ITestOutputHelper output)
{
    [SkippableFact]
    [Trait("Category", "Guarantees")]
    public async Task Three_nodes_of_four_threads_writing_250_sessions_each_end_with_exactly_3000_entries_and_transcripts()
    {
        const int Nodes = 3;
        const int Threads = 4;
        const int PerThread = 250;
        const int Sessions = Nodes * Threads * PerThread;
        await using var s = PostgresTestSupport.Create();
        var agent = s.Agent();

        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, Nodes).Select(n => WriterChild.RunAsync(
            TimeSpan.FromMinutes(15), WriterChild.Arguments("threads", agent, $"{Threads}", $"{PerThread}", $"node{n}"))));
        var elapsed = clock.Elapsed;
        foreach (var (exitCode, stdout, error) in results)
        {
            Assert.True(exitCode == 0, $"a node failed ({exitCode}): {error}");
            Assert.Equal($"done {Threads * PerThread} {Threads * PerThread}", stdout.Trim());
        }

        // Counted by SQL, independently of the store's reader.
        Assert.Equal(Sessions, await agent.ScalarAsync<long>($"SELECT count(*) FROM {agent.QuotedSchema}.sessions WHERE agent_id = $1", agent.AgentId));
        Assert.Equal(Sessions, await agent.ScalarAsync<long>($"SELECT count(DISTINCT session_id) FROM {agent.QuotedSchema}.sessions WHERE agent_id = $1", agent.AgentId));
        Assert.Equal(3L * Sessions, await agent.ScalarAsync<long>($"SELECT count(*) FROM {agent.QuotedSchema}.transcript_events WHERE agent_id = $1", agent.AgentId));

        // And through the store: each entry's transcript is its header, its prompt and its reply.
        var entries = await s.Store.ReadSessionsAsync();
        var expectedKeys = from n in Enumerable.Range(0, Nodes) from t in Enumerable.Range(0, Threads) from i in Enumerable.Range(0, PerThread) select $"node{n}:t{t}:{i}";
        Assert.Equal(expectedKeys.Order(StringComparer.Ordinal), entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        var complete = 0;
        foreach (var entry in entries)
        {
            var parts = entry.Key.Split(':');
            var expected = $"{parts[0]} {parts[1][1..]} {parts[2]}";
            var transcript = await s.Store.ReadTranscriptAsync(entry.SessionId!);
            if (transcript is { SkippedLines: 0 } && transcript.Header?.Key == entry.Key && transcript.Header.SessionId == entry.SessionId
                && transcript.Messages.Select(m => (m.Role, m.Content)).SequenceEqual([("user", $"prompt {expected}"), ("assistant", $"reply {expected}")]))
            {
                complete++;
            }
        }

        Assert.Equal(Sessions, complete);
        var state = await s.Store.ReadHeartbeatStateAsync();
        Assert.Equal(Sessions, state.ConsecutiveOks);
        Assert.Equal(Sessions / 2, state.Tasks["SessionKind.Heartbeat"].ConsecutiveOks);
        Assert.Equal(Sessions / 2, state.Tasks["SessionKinds.WriterProcess.PulseCheck"].ConsecutiveOks);
        Assert.Equal((50, 50), await agent.CountStoredRingEntriesAsync(HeartbeatSessionAttribute.DefaultRingFile));
        Assert.Equal((20, 20), await agent.CountStoredRingEntriesAsync("heartbeat-ring-pulse.json"));
        var problems = await agent.FindIntegrityProblemsAsync();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(10)));

        output.WriteLine($"PostgreSQL, {Nodes} nodes (writer processes) × {Threads} threads × {PerThread} sessions (+ one heartbeat ack each) on one agent in {elapsed.TotalSeconds:F1} s");
        output.WriteLine($"  entries: {entries.Count} (expected {Sessions}); complete transcripts: {complete}; acks counted: {state.ConsecutiveOks}; rings 50/50 and 20/20; integrity problems: {problems.Count}");
    }
}
