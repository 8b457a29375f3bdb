using System.Diagnostics;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// 4 processes × 4 threads × 250 sessions on one agent (the writer child process, opening the same agent of the same
/// engine), each session followed by a heartbeat ack: exactly 4,000 entries, 4,000 complete transcripts, 4,000 acks; rings
/// read live never above their size; the write lock free afterwards. The figures go to the test output.
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class MultiProcessWriterTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    [Trait("Category", "Guarantees")]
    public async Task Four_processes_of_four_threads_writing_250_sessions_each_end_with_exactly_4000_entries(string engine)
    {
        const int Processes = 4;
        const int ThreadsPerProcess = 4;
        const int SessionsPerThread = 250;
        const int Sessions = Processes * ThreadsPerProcess * SessionsPerThread;
        const string PulseOwner = "SessionKinds.WriterProcess.PulseCheck";
        const string PulseRing = "heartbeat-ring-pulse.json";

        await using var s = StoreUnderTest.Create(engine);
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(() => WatchAsync(s.Agent, [HeartbeatSessionAttribute.DefaultRingFile, PulseRing], stop.Token));

        var results = await Task.WhenAll(Enumerable.Range(0, Processes).Select(p => WriterChild.RunAsync(
            TimeSpan.FromMinutes(10), WriterChild.Arguments("threads", s.Agent, $"{ThreadsPerProcess}", $"{SessionsPerThread}", $"p{p}"))));
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        var watch = await watcher;

        foreach (var (exitCode, stdout, error) in results)
        {
            Assert.True(exitCode == 0, $"writer failed ({exitCode}): {error}");
            Assert.Equal($"done {ThreadsPerProcess * SessionsPerThread} {ThreadsPerProcess * SessionsPerThread}", stdout.Trim());
        }

        // The lock was released: a new process takes it on its first try.
        var (lockExit, lockOutput, lockError) = await WriterChild.RunAsync(TimeSpan.FromSeconds(60), WriterChild.Arguments("try-lock", s.Agent));
        Assert.True(lockExit == 0, $"a new process could not take the lock at once: {lockOutput} {lockError}");
        Assert.StartsWith("locked ", lockOutput, StringComparison.Ordinal);

        // Exactly the expected entries, one session each, each with a complete transcript.
        var entries = await s.Store.ReadSessionsAsync();
        var expectedKeys = (from p in Enumerable.Range(0, Processes)
                            from t in Enumerable.Range(0, ThreadsPerProcess)
                            from i in Enumerable.Range(0, SessionsPerThread)
                            select $"p{p}:t{t}:{i}").Order(StringComparer.Ordinal);
        Assert.Equal(Sessions, entries.Count);
        Assert.Equal(expectedKeys, entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Sessions, entries.Select(e => e.SessionId).Distinct().Count());
        Assert.All(entries, e => Assert.Equal(SessionKind.User, e.Kind));
        var incomplete = new List<string>();
        foreach (var entry in entries)
        {
            var parts = entry.Key.Split(':'); // p<p>:t<t>:<i>
            var expected = $"{parts[0]} {parts[1][1..]} {parts[2]}";
            var transcript = await s.Store.ReadTranscriptAsync(entry.SessionId!);
            if (transcript is null
                || transcript.Header?.Key != entry.Key
                || transcript.SkippedLines != 0
                || !transcript.Messages.Select(m => (m.Role, m.Content)).SequenceEqual([("user", $"prompt {expected}"), ("assistant", $"reply {expected}")]))
            {
                incomplete.Add(entry.Key);
            }
        }

        Assert.True(incomplete.Count == 0, $"{incomplete.Count} incomplete transcripts, e.g. {string.Join(", ", incomplete.Take(5))}");

        // Every ack counted once (no alert ever reset the count); each ring full and never above its size.
        var state = await s.Store.ReadHeartbeatStateAsync();
        Assert.Equal(Sessions, state.ConsecutiveOks);
        Assert.Equal(Sessions / 2, state.Tasks["SessionKind.Heartbeat"].ConsecutiveOks);
        Assert.Equal(Sessions / 2, state.Tasks[PulseOwner].ConsecutiveOks);
        var explicitRing = await s.Store.ReadHeartbeatRingAsync();
        var pulseRing = await s.Store.ReadHeartbeatRingAsync(PulseRing);
        Assert.Equal((50, 50), (explicitRing.MaxEntries, explicitRing.Entries.Count));
        Assert.Equal((20, 20), (pulseRing.MaxEntries, pulseRing.Entries.Count));
        Assert.True(watch.Problems.Count == 0, string.Join(Environment.NewLine, watch.Problems.Take(10)));
        Assert.True(watch.RingReads > 0 && watch.EntryReads > 0, "the watcher read nothing while the writers ran");
        var integrity = await s.Agent.FindIntegrityProblemsAsync();
        Assert.True(integrity.Count == 0, string.Join(Environment.NewLine, integrity.Take(10)));

        output.WriteLine($"Concurrency ({engine} engine): {Processes} processes × {ThreadsPerProcess} threads × {SessionsPerThread} sessions (+ one heartbeat ack each) in {elapsed.TotalSeconds:F1} s");
        output.WriteLine($"  entries: {entries.Count} (expected {Sessions}); complete transcripts: {entries.Count - incomplete.Count}; acks counted: {state.ConsecutiveOks}");
        output.WriteLine($"  read while writing: {watch.RingReads} ring reads (largest: {watch.MaxRingEntries} entries, never above maxEntries 50 and 20), {watch.EntryReads} reads of every entry (count never went down, never torn)");
        output.WriteLine($"  lock after the run: taken by a new process on its first try; integrity problems (independent reader): {integrity.Count}");
    }

    /// <summary>Reads the rings and every entry as stored while the writers run: rings never above their bound, entries never fewer, nothing torn.</summary>
    private static async Task<WatchResult> WatchAsync(StoreAgent agent, string[] rings, CancellationToken stop)
    {
        var result = new WatchResult();
        var lastCount = 0;
        var entriesDue = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            foreach (var ring in rings)
            {
                try
                {
                    if (await agent.CountStoredRingEntriesAsync(ring) is var (max, count))
                    {
                        result.RingReads++;
                        result.MaxRingEntries = Math.Max(result.MaxRingEntries, count);
                        if (count > max)
                        {
                            result.Problems.Add($"{ring} held {count} entries, more than its bound {max}");
                        }
                    }
                }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or IOException)
                {
                    result.Problems.Add($"{ring} could not be read while writers ran: {ex.Message}");
                }
            }

            if (entriesDue.ElapsedMilliseconds >= 25)
            {
                try
                {
                    var count = (await agent.ReadRawEntriesAsync()).Count;
                    result.EntryReads++;
                    if (count < lastCount)
                    {
                        result.Problems.Add($"the entries went from {lastCount} to {count}");
                    }

                    lastCount = count;
                }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException)
                {
                    result.Problems.Add($"the entries could not be read while writers ran: {ex.Message}");
                }

                entriesDue.Restart();
            }

            try
            {
                await Task.Delay(2, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return result;
    }

    private sealed class WatchResult
    {
        public List<string> Problems { get; } = [];

        public int RingReads { get; set; }

        public int EntryReads { get; set; }

        public int MaxRingEntries { get; set; }
    }
}
