using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SessionKinds.Internal;
using SessionKinds.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Reliability;

/// <summary>
/// Issue 7, item 1: a child process writes continuously (user and subagent sessions, heartbeat alerts and acks, rotation at
/// a tiny size) and is killed with SIGKILL at seeded random moments, 200 times, on one agent folder that is never reset.
/// </summary>
/// <remarks>
/// <para>After every kill, with a strict JSON parser: every <c>*.json</c> file is one JSON object and every archive
/// decompresses to one; no file was moved aside as corrupt; every file is owner-only; the folder lock is free at once;
/// a new <see cref="AgentStore"/> removes the temp files the kill left; and every write the child reported (an
/// <c>ok …</c> line it finished printing before it died) is present:</para>
/// <list type="bullet">
/// <item>user and subagent sessions, heartbeat alerts: the (key, sessionId) pair is in <c>sessions.json</c> or in an
/// archive (retention is unlimited in this test), and the transcript holds the write's prompt and reply;</item>
/// <item>heartbeats of the generated task <c>LedgerCheck</c> (ring of 10,000, never full here): the ring holds an entry
/// with the write's result and tag, every reported one in the order reported, across all kills; <c>heartbeat-state.json</c>
/// records the task's last reported ack and alert (<c>lastAck</c>/<c>lastAlert</c> not older than its ring entry);</item>
/// <item>explicit-kind acks (default ring of 50): the child's last 49 reported acks are in the ring, in order (at most one
/// completed but unreported write can follow them), and the state's <c>lastAck</c> is not older than the last one.</item>
/// </list>
/// <para>The kill schedule is seeded; where exactly each kill lands inside a write depends on the machine's timing.</para>
/// </remarks>
[Collection(ChildProcessCollection.Name)]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    public const int Kills = 200;
    public const int Seed = 20_250_107;
    private const string RotateAtBytes = "4096";
    private const string ArchivesToKeep = "1000000"; // keep every archive, so every reported entry can be found
    private const string EntriesKeptAfterRotation = "10";
    private const string LedgerOwner = "SessionKinds.WriterProcess.LedgerCheck";
    private const string LedgerRing = "heartbeat-ring-ledger.json";
    private const string ExplicitRing = "heartbeat-ring.json";
    private const int ExplicitRingSize = 50;

    [Fact]
    public async Task Two_hundred_SIGKILLs_during_writes_leave_every_file_readable_and_lose_no_reported_write()
    {
        using var temp = new TempFolder();
        var folder = temp.AgentFolder;
        var schedule = new Random(Seed);
        var archives = new ArchiveCache();
        var all = new List<ReportedWrite>();
        var corrupt = new List<string>();
        var lost = new SortedSet<string>(StringComparer.Ordinal);
        var otherProblems = new List<string>();
        var tempFilesLeft = 0;
        var killsLeavingTempFiles = 0;
        var killsBeforeFirstWrite = 0;
        var maxLockRecovery = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();

        for (var kill = 0; kill < Kills; kill++)
        {
            // The seeded schedule: 10% of kills land at a random moment from the start (runtime start-up, opening and
            // clean-up, the first write); the others after a random number of reported writes (1..40) plus up to 3 ms,
            // so they land anywhere inside the next write. Counting writes, not milliseconds, keeps the run the same
            // size on fast and slow machines.
            var childSeed = schedule.Next();
            var early = schedule.Next(10) == 0;
            var writesBeforeKill = early ? 1 : schedule.Next(1, 41);
            var delay = TimeSpan.FromMilliseconds(early ? schedule.Next(0, 150) : schedule.Next(0, 4));

            WriterExit exit;
            using (var child = RunningWriter.Start(
                "mixed", folder, "0", childSeed.ToString(CultureInfo.InvariantCulture), RotateAtBytes, ArchivesToKeep, EntriesKeptAfterRotation))
            {
                var writes = child.WaitForLinesAsync(writesBeforeKill);
                if (early)
                {
                    await Task.WhenAny(writes, Task.Delay(delay));
                }
                else
                {
                    await writes.WaitAsync(TimeSpan.FromSeconds(120));
                    Thread.Sleep(delay);
                }

                exit = await child.KillAsync(TimeSpan.FromSeconds(120));
            }

            Assert.True(exit.WasRunning, $"kill {kill}: the child exited on its own with {exit.ExitCode}: {exit.Error}");
            if (!OperatingSystem.IsWindows())
            {
                Assert.True(exit.ExitCode == 128 + 9, $"kill {kill}: the child ended with {exit.ExitCode}, not SIGKILL: {exit.Error}");
            }

            var reported = exit.Lines.Select(line => ReportedWrite.Parse(line, kill)).ToList();
            all.AddRange(reported);
            if (reported.Count == 0)
            {
                killsBeforeFirstWrite++;
            }

            if (!Directory.Exists(folder))
            {
                continue; // killed before it created the folder
            }

            // Every file as the kill left it.
            var audit = FolderAudit.Inspect(folder, archives, readTranscripts: false);
            corrupt.AddRange(audit.Unreadable.Select(p => $"kill {kill}: {p}"));
            corrupt.AddRange(audit.MovedAside.Select(p => $"kill {kill}: moved aside as corrupt: {p}"));
            otherProblems.AddRange(audit.NotOwnerOnly.Select(p => $"kill {kill}: {p}"));
            tempFilesLeft += audit.TempFiles.Count;
            killsLeavingTempFiles += audit.TempFiles.Count > 0 ? 1 : 0;

            // The dead writer's lock is free at once (the kernel dropped it when it reaped the process).
            var lockClock = Stopwatch.StartNew();
            var held = new FolderLock(Path.GetFullPath(folder), TimeSpan.Zero).TryAcquireNow();
            lockClock.Stop();
            Assert.True(held is not null, $"kill {kill}: the lock of a killed writer was still held");
            held.Value.Dispose();
            maxLockRecovery = lockClock.Elapsed > maxLockRecovery ? lockClock.Elapsed : maxLockRecovery;

            // A new store cleans up, reads every file, and finds every reported write.
            using var store = new AgentStore(folder);
            var leftover = Directory.GetFiles(folder, "*.sktmp");
            Assert.True(leftover.Length == 0, $"kill {kill}: opening a store left temp files: {string.Join(", ", leftover.Select(Path.GetFileName))}");
            corrupt.AddRange(ReadThroughTheStore(store).Select(p => $"kill {kill}: {p}"));
            lost.UnionWith(FindLost(store, reported, all, archives, currentChild: kill));
        }

        // Final pass over everything ever reported, and every archive byte for byte.
        using (var store = new AgentStore(folder))
        {
            lost.UnionWith(FindLost(store, all, all, archives, currentChild: -1));
        }

        corrupt.AddRange(archives.VerifyUnchanged(folder).Select(p => $"final: {p}"));
        var final = FolderAudit.Inspect(folder, archives, readTranscripts: true);
        corrupt.AddRange(final.Unreadable.Select(p => $"final: {p}"));

        var byWhat = all.GroupBy(w => w.What).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"Crash safety (seed {Seed}): {Kills} SIGKILLs in {clock.Elapsed.TotalSeconds:F1} s on one folder");
        output.WriteLine($"  writes reported complete before a kill: {all.Count} ({string.Join(", ", byWhat)})");
        output.WriteLine($"  kills before the first write: {killsBeforeFirstWrite}; kills that left a temp file mid-write: {killsLeavingTempFiles} ({tempFilesLeft} temp files, all removed by the next open)");
        output.WriteLine($"  files at the end: {final.JsonFiles} JSON, {final.Archives} archives, {final.Transcripts} transcripts ({final.TornTranscriptLines} torn transcript lines, skipped by readers)");
        output.WriteLine($"  slowest lock recovery after a kill: {maxLockRecovery.TotalMilliseconds:F2} ms (first try, no waiting)");
        output.WriteLine($"  corrupt files: {corrupt.Count}; lost writes: {lost.Count}; other problems: {otherProblems.Count}");

        Assert.True(corrupt.Count == 0, string.Join(Environment.NewLine, corrupt.Take(20)));
        Assert.True(lost.Count == 0, string.Join(Environment.NewLine, lost.Take(20)));
        Assert.True(otherProblems.Count == 0, string.Join(Environment.NewLine, otherProblems.Take(20)));

        // The run was meaningful: many writes of every kind, several rotations, a ring that never had to drop a ledger entry.
        Assert.True(all.Count >= 10 * Kills, $"only {all.Count} writes were reported");
        Assert.All(ReportedWrite.AllKinds, what => Assert.Contains(all, w => w.What == what));
        Assert.True(final.Archives >= 10, $"only {final.Archives} rotations happened");
        Assert.True(all.Count(w => w.What.StartsWith("ledger", StringComparison.Ordinal)) < 10_000 - Kills, "the ledger ring could have dropped entries");
    }

    /// <summary>Reads every store file through the library; a corrupt-file error is a finding.</summary>
    private static IEnumerable<string> ReadThroughTheStore(AgentStore store)
    {
        var problems = new List<string>();
        Action[] reads = [() => store.ReadSessions(), () => store.ReadHeartbeatState(), () => store.ReadHeartbeatRing(ExplicitRing), () => store.ReadHeartbeatRing(LedgerRing)];
        foreach (var read in reads)
        {
            try
            {
                read();
            }
            catch (AgentStoreCorruptFileException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return problems;
    }

    /// <summary>The tags (with the reason) of the writes in <paramref name="toCheck"/> that are not on disk.</summary>
    private static List<string> FindLost(AgentStore store, IReadOnlyList<ReportedWrite> toCheck, IReadOnlyList<ReportedWrite> all, ArchiveCache archives, int currentChild)
    {
        var lost = new List<string>();
        var live = File.Exists(store.SessionsPath) ? FolderAudit.SessionPairs(File.ReadAllBytes(store.SessionsPath)).ToHashSet() : [];
        var ledger = RingEntries(Path.Combine(store.Folder, LedgerRing), lost);
        var explicitRing = RingEntries(Path.Combine(store.Folder, ExplicitRing), lost);
        using var state = File.Exists(store.HeartbeatStatePath) ? JsonDocument.Parse(File.ReadAllBytes(store.HeartbeatStatePath)) : null;

        foreach (var write in toCheck)
        {
            if (write.What is "user" or "subagent" or "ledger-alert")
            {
                if (!live.Contains((write.Key, write.SessionId)) && !archives.Pairs.Contains((write.Key, write.SessionId)))
                {
                    lost.Add($"{write.Tag} ({write.What}): no entry {write.Key} → {write.SessionId} in sessions.json or any archive");
                }

                var transcript = store.ReadTranscript(write.SessionId);
                var reply = write.What == "ledger-alert" ? WriterProcessTexts.Alert(write.Tag) : WriterProcessTexts.Conversation(write.Tag);
                if (transcript is null
                    || !transcript.Messages.Any(m => m.Role == "user" && m.Content == WriterProcessTexts.Prompt(write.Tag))
                    || !transcript.Messages.Any(m => m.Role == "assistant" && m.Content == reply))
                {
                    lost.Add($"{write.Tag} ({write.What}): transcript {write.SessionId}.jsonl lacks the prompt or reply");
                }
            }
        }

        // LedgerCheck: every reported heartbeat is in the ring, in the order reported, with its result.
        var ledgerIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ledger.Count; i++)
        {
            ledgerIndex.TryAdd(ledger[i].Summary, i);
        }

        var position = -1;
        foreach (var write in all.Where(w => w.What is "ledger-alert" or "ledger-ack"))
        {
            var summary = write.What == "ledger-ack" ? write.Tag : WriterProcessTexts.Alert(write.Tag);
            var index = ledgerIndex.GetValueOrDefault(summary, -1);
            if (index < 0 || ledger[index].Result != (write.What == "ledger-ack" ? "ok" : "alert"))
            {
                lost.Add($"{write.Tag} ({write.What}): not in {LedgerRing}");
                continue;
            }

            if (index < position)
            {
                lost.Add($"{write.Tag} ({write.What}): out of order in {LedgerRing}");
            }

            position = index;
        }

        CheckStateNotOlder(state, LedgerOwner, "lastAck", LastTimestamp(all, ledger, "ledger-ack", w => w.Tag), lost);
        CheckStateNotOlder(state, LedgerOwner, "lastAlert", LastTimestamp(all, ledger, "ledger-alert", w => WriterProcessTexts.Alert(w.Tag)), lost);

        // Explicit-kind acks on the ring of 50: the current child's last 49 reported acks, in order.
        if (currentChild >= 0)
        {
            var mine = all.Where(w => w.Child == currentChild && w.What == "explicit-ack").TakeLast(ExplicitRingSize - 1).ToList();
            position = -1;
            foreach (var write in mine)
            {
                var index = explicitRing.FindIndex(e => e.Summary == write.Tag);
                if (index < position || index < 0)
                {
                    lost.Add($"{write.Tag} (explicit-ack): {(index < 0 ? "not in" : "out of order in")} {ExplicitRing}");
                }

                position = Math.Max(position, index);
            }

            CheckStateNotOlder(state, HeartbeatRingNames.ExplicitKindOwner, "lastAck", LastTimestamp(mine, explicitRing, "explicit-ack", w => w.Tag), lost);
            if (explicitRing.Count > ExplicitRingSize)
            {
                lost.Add($"{ExplicitRing} holds {explicitRing.Count} entries, more than {ExplicitRingSize}");
            }
        }

        return lost;
    }

    /// <summary>The ring timestamp (epoch seconds) of the last reported write of kind <paramref name="what"/>, if found.</summary>
    private static long? LastTimestamp(IEnumerable<ReportedWrite> writes, List<RingEntry> ring, string what, Func<ReportedWrite, string> summary)
    {
        var last = writes.LastOrDefault(w => w.What == what);
        return last is null ? null : ring.Find(e => e.Summary == summary(last))?.Ts;
    }

    private static void CheckStateNotOlder(JsonDocument? state, string task, string field, long? ringSeconds, List<string> lost)
    {
        if (ringSeconds is not long seconds)
        {
            return;
        }

        long? recorded = null;
        if (state is not null
            && state.RootElement.TryGetProperty("tasks", out var tasks)
            && tasks.TryGetProperty(task, out var figures)
            && figures.TryGetProperty(field, out var value)
            && value.TryGetInt64(out var ms))
        {
            recorded = ms;
        }

        if (recorded is null || recorded < seconds * 1000)
        {
            lost.Add($"heartbeat-state.json: tasks[{task}].{field} is {recorded?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, older than the last reported write (ring ts {seconds} s)");
        }
    }

    private static List<RingEntry> RingEntries(string path, List<string> problems)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var entries = json.RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => new RingEntry(e.GetProperty("ts").GetInt64(), e.GetProperty("result").GetString()!, e.GetProperty("summary").GetString()!))
            .ToList();
        var max = json.RootElement.GetProperty("maxEntries").GetInt32();
        if (entries.Count > max)
        {
            problems.Add($"{Path.GetFileName(path)} holds {entries.Count} entries, more than its maxEntries {max}");
        }

        return entries;
    }

    private sealed record RingEntry(long Ts, string Result, string Summary);

    /// <summary>One <c>ok &lt;verdict&gt; &lt;key&gt; &lt;sessionId&gt; &lt;tag&gt; &lt;what&gt;</c> line of the mixed mode.</summary>
    private sealed record ReportedWrite(int Child, string Verdict, string Key, string SessionId, string Tag, string What)
    {
        public static readonly string[] AllKinds = ["user", "subagent", "ledger-alert", "ledger-ack", "explicit-ack"];

        public static ReportedWrite Parse(string line, int child)
        {
            var parts = line.Split(' ');
            Assert.True(parts.Length == 6 && parts[0] == "ok" && AllKinds.Contains(parts[5]), $"unexpected output from child {child}: {line}");
            return new ReportedWrite(child, parts[1], parts[2], parts[3], parts[4], parts[5]);
        }
    }
}

/// <summary>The texts the WriterProcess mixed mode writes for a tag (mirrors its WriterReplies).</summary>
internal static class WriterProcessTexts
{
    public static string Prompt(string tag) => $"prompt {tag}";

    public static string Conversation(string tag) => $"reply {tag}";

    public static string Alert(string tag) => $"Alert {tag}: the disk is almost full";
}
