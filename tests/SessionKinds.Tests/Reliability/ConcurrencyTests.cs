using System.Diagnostics;
using System.Text.Json;
using SessionKinds.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Reliability;

/// <summary>
/// Issue 7, item 2: 4 processes × 4 threads × 250 sessions on one agent folder, each session followed by a heartbeat ack;
/// and a lock left by a killed process.
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private const int Processes = 4;
    private const int ThreadsPerProcess = 4;
    private const int SessionsPerThread = 250;
    private const int Sessions = Processes * ThreadsPerProcess * SessionsPerThread;
    private const string PulseOwner = "SessionKinds.WriterProcess.PulseCheck";

    [Fact]
    public async Task Four_processes_of_four_threads_writing_250_sessions_each_end_with_exactly_4000_entries()
    {
        using var temp = new TempFolder();
        var folder = temp.AgentFolder;
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(() => Watch(folder, stop.Token));

        var results = await Task.WhenAll(Enumerable.Range(0, Processes).Select(p => WriterProcess.RunAsync(
            TimeSpan.FromMinutes(10), "threads", folder, $"{ThreadsPerProcess}", $"{SessionsPerThread}", $"p{p}")));
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        var watch = await watcher;

        foreach (var (exitCode, stdout, error) in results)
        {
            Assert.True(exitCode == 0, $"writer failed ({exitCode}): {error}");
            Assert.Equal($"done {ThreadsPerProcess * SessionsPerThread} {ThreadsPerProcess * SessionsPerThread}", stdout.Trim());
        }

        // The lock was released: a new process takes it on its first try.
        var (lockExit, lockOutput, lockError) = await WriterProcess.RunAsync(TimeSpan.FromSeconds(60), "try-lock", folder);
        Assert.True(lockExit == 0, $"a new process could not take the lock at once: {lockOutput} {lockError}");
        Assert.StartsWith("locked ", lockOutput, StringComparison.Ordinal);

        // Exactly the expected entries, one session each, each with a complete transcript.
        using var store = new AgentStore(folder);
        var entries = store.ReadSessions();
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
            var transcript = store.ReadTranscript(entry.SessionId!);
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
        var state = store.ReadHeartbeatState();
        Assert.Equal(Sessions, state.ConsecutiveOks);
        Assert.Equal(Sessions / 2, state.Tasks[HeartbeatRingNames.ExplicitKindOwner].ConsecutiveOks);
        Assert.Equal(Sessions / 2, state.Tasks[PulseOwner].ConsecutiveOks);
        var explicitRing = store.ReadHeartbeatRing();
        var pulseRing = store.ReadHeartbeatRing("heartbeat-ring-pulse.json");
        Assert.Equal((50, 50), (explicitRing.MaxEntries, explicitRing.Entries.Count));
        Assert.Equal((20, 20), (pulseRing.MaxEntries, pulseRing.Entries.Count));
        Assert.True(watch.Problems.Count == 0, string.Join(Environment.NewLine, watch.Problems.Take(10)));
        Assert.True(watch.RingReads > 0 && watch.SessionReads > 0, "the watcher read nothing while the writers ran");

        var audit = FolderAudit.Inspect(folder);
        Assert.True(File.Exists(Path.Combine(folder, ".sessionkinds.lock.wait")), "the writers never waited for each other"); // so its mode was checked too
        Assert.Empty(audit.Unreadable);
        Assert.Empty(audit.TempFiles);
        Assert.Empty(audit.MovedAside);
        Assert.Empty(audit.NotOwnerOnly);

        output.WriteLine($"Concurrency: {Processes} processes × {ThreadsPerProcess} threads × {SessionsPerThread} sessions (+ one heartbeat ack each) in {elapsed.TotalSeconds:F1} s");
        output.WriteLine($"  entries: {entries.Count} (expected {Sessions}); complete transcripts: {entries.Count - incomplete.Count}; acks counted: {state.ConsecutiveOks}");
        output.WriteLine($"  read while writing: {watch.RingReads} ring reads (largest: {watch.MaxRingEntries} entries, never above maxEntries), {watch.SessionReads} sessions.json reads (entry count never went down, never torn)");
        output.WriteLine($"  lock after the run: taken by a new process on its first try; files: {audit.JsonFiles} JSON, {audit.Transcripts} transcripts, all owner-only");
    }

    [Fact]
    public async Task A_writer_waiting_for_the_lock_gets_it_as_soon_as_the_SIGKILLed_holder_is_gone()
    {
        using var temp = new TempFolder();
        using var holder = RunningWriter.Start("hold-lock", temp.AgentFolder);
        await holder.WaitForLinesAsync(1).WaitAsync(TimeSpan.FromSeconds(60));

        using var store = new AgentStore(temp.AgentFolder, new AgentStoreOptions { LockTimeout = TimeSpan.FromSeconds(60) });
        var write = Task.Run(() => store.Complete(store.StartSession(SessionKind.User, "agent:main:main", "hi"), "hello"));
        await Task.Delay(300);
        Assert.False(write.IsCompleted, "the write did not wait for the held lock");

        var sinceKill = Stopwatch.StartNew();
        var exit = await holder.KillAsync(TimeSpan.FromSeconds(60));
        var outcome = await write.WaitAsync(TimeSpan.FromSeconds(60));
        sinceKill.Stop();

        Assert.True(exit.WasRunning);
        Assert.Equal(outcome.SessionId, store.FindSession("agent:main:main")!.SessionId);

        // Documented (AgentStoreOptions.LockTimeout): the operating system releases a dead holder's lock at once; the waiter
        // polls every few milliseconds. 5 s is a generous bound for a loaded CI machine, not the expected figure.
        output.WriteLine($"Lock recovery: a waiting writer completed {sinceKill.Elapsed.TotalMilliseconds:F0} ms after SIGKILL of the holder (includes reaping it)");
        Assert.True(sinceKill.Elapsed < TimeSpan.FromSeconds(5), $"recovery took {sinceKill.Elapsed}");
        using var owner = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(temp.AgentFolder, ".sessionkinds.lock.owner")));
        Assert.Equal(Environment.ProcessId, owner.RootElement.GetProperty("pid").GetInt32());
    }

    /// <summary>Reads the rings and sessions.json while the writers run: never torn, rings never above maxEntries, entry count never down.</summary>
    private static WatchResult Watch(string folder, CancellationToken stop)
    {
        var result = new WatchResult();
        var lastCount = 0;
        var sessionsDue = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            foreach (var ring in new[] { "heartbeat-ring.json", "heartbeat-ring-pulse.json" })
            {
                if (Read(Path.Combine(folder, ring), result) is JsonDocument json)
                {
                    using (json)
                    {
                        var count = json.RootElement.GetProperty("entries").GetArrayLength();
                        var max = json.RootElement.GetProperty("maxEntries").GetInt32();
                        result.RingReads++;
                        result.MaxRingEntries = Math.Max(result.MaxRingEntries, count);
                        if (count > max)
                        {
                            result.Problems.Add($"{ring} held {count} entries, more than maxEntries {max}");
                        }
                    }
                }
            }

            if (sessionsDue.ElapsedMilliseconds >= 25 && Read(Path.Combine(folder, "sessions.json"), result) is JsonDocument sessions)
            {
                using (sessions)
                {
                    var count = sessions.RootElement.EnumerateObject().Count();
                    result.SessionReads++;
                    if (count < lastCount)
                    {
                        result.Problems.Add($"sessions.json went from {lastCount} to {count} entries");
                    }

                    lastCount = count;
                }

                sessionsDue.Restart();
            }

            Thread.Sleep(2);
        }

        return result;
    }

    private static JsonDocument? Read(string path, WatchResult result)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            result.Problems.Add($"{Path.GetFileName(path)} was torn when read: {ex.Message}");
            return null;
        }
    }

    private sealed class WatchResult
    {
        public List<string> Problems { get; } = [];

        public int RingReads { get; set; }

        public int SessionReads { get; set; }

        public int MaxRingEntries { get; set; }
    }
}
