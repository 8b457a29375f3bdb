using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SessionKinds.Persistence.Files.Locking;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using SessionKinds.WriterProcess;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Files;

/// <summary>
/// The crash-safety run: a writer child writes continuously to one agent folder (user and subagent sessions, heartbeat
/// alerts and acks of a generated task and of the explicit kind, cron output and silent runs, rotation at 4 KB) and is
/// killed with SIGKILL at seeded moments, 200 times, on one folder that is never reset.
/// </summary>
/// <remarks>
/// <para>After every kill, before anything recovers: every <c>*.json</c> file is one JSON object for a strict parser, every
/// archive decompresses to one, no file was moved aside as corrupt, every file is owner-only, and the folder lock is free
/// on the first try. Then a new store opens (it finishes or undoes a commit the kill interrupted and deletes temp files),
/// and the folder must hold exactly what the writes that landed add up to:</para>
/// <list type="bullet">
/// <item>every write the child reported (an <c>ok</c> line it finished printing) landed whole: its entry (in
/// <c>sessions.json</c> or an archive; retention is unlimited here) and exactly its two transcript lines, its ring entry
/// in order (the generated task's ring of 10,000 never drops one; the explicit kind's ring of 50 holds the last 50 acks),
/// its run record in order, and the heartbeat state's counts and last alert as the landed writes add up to;</item>
/// <item>the write in flight at the kill (a <c>begin</c> line without its <c>ok</c>) landed whole or not at all: each of its
/// parts is checked on its own, and a mix is a half-applied completion.</item>
/// </list>
/// <para>The kill schedule is seeded; where exactly each kill lands inside a write depends on the machine's timing, so the
/// counts of writes vary by a few percent from run to run. The figures are printed for the README's Guarantees table.</para>
/// </remarks>
[Collection(ChildProcessCollection.Name)]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    public const int Kills = 200;
    public const int Seed = 20_250_107;
    private const string LedgerOwner = "SessionKinds.WriterProcess.LedgerCheck";
    private const string ExplicitOwner = "SessionKind.Heartbeat";
    private const string CronOwner = "SessionKinds.WriterProcess.NightlyReport";
    private const string LedgerRing = "heartbeat-ring-ledger.json";
    private const string ExplicitRing = "heartbeat-ring.json";
    private const int ExplicitRingSize = 50;

    private static readonly string[] Settings = ["rotateAtBytes=4096", "archivesToKeep=1000000", "entriesKeptAfterRotation=10", "cronRunsToKeep=1000000"];

    [Fact]
    [Trait("Category", "Guarantees")]
    public async Task Two_hundred_SIGKILLs_during_writes_leave_every_file_readable_lose_no_reported_write_and_apply_no_completion_by_half()
    {
        using var temp = new TempFolder();
        var agent = (FileStoreAgent)new FileStoreEngine().CreateAgent(temp.Root);
        var folder = agent.Folder;
        var schedule = new Random(Seed);
        var archives = new ArchiveCache();
        var model = new LandedWrites();
        var reportedCount = new Dictionary<string, int>(StringComparer.Ordinal);
        var corrupt = new List<string>();
        var lost = new List<string>();
        var halfApplied = new List<string>();
        var otherProblems = new List<string>();
        var inFlight = (Landed: 0, NotLanded: 0);
        var tempFilesLeft = 0;
        var killsLeavingTempFiles = 0;
        var records = (Prepared: 0, Committed: 0);
        var killsBeforeFirstWrite = 0;
        var maxLockRecovery = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();

        for (var kill = 0; kill < Kills; kill++)
        {
            // The seeded schedule: 10% of kills land at a random moment from the start (runtime start-up, opening and
            // recovery, the first write); the others after a random number of reported writes (1..40) plus up to 3 ms,
            // so they land anywhere inside the next write. Counting writes, not milliseconds, keeps the run the same
            // size on fast and slow machines.
            var childSeed = schedule.Next();
            var early = schedule.Next(10) == 0;
            var writesBeforeKill = early ? 1 : schedule.Next(1, 41);
            var delay = TimeSpan.FromMilliseconds(early ? schedule.Next(0, 150) : schedule.Next(0, 4));

            WriterExit exit;
            using (var child = RunningWriter.Start(WriterChild.Arguments("mixed", agent, ["0", childSeed.ToString(CultureInfo.InvariantCulture), .. Settings])))
            {
                // Each write prints a begin and an ok line.
                var writes = child.WaitForLinesAsync(writesBeforeKill * 2);
                if (early)
                {
                    await Task.WhenAny(writes, Task.Delay(delay));
                }
                else
                {
                    await writes.WaitAsync(TimeSpan.FromSeconds(120));
                    Thread.Sleep(delay); // lands the kill somewhere inside the next write
                }

                exit = await child.KillAsync(TimeSpan.FromSeconds(120));
            }

            Assert.True(exit.WasRunning, $"kill {kill}: the child exited on its own with {exit.ExitCode}: {exit.Error}");
            Assert.True(OperatingSystem.IsWindows() || exit.ExitCode == 128 + 9, $"kill {kill}: the child ended with {exit.ExitCode}, not SIGKILL: {exit.Error}");
            var (reported, begun) = ChildLines.Parse(exit.Lines, kill);
            foreach (var write in reported)
            {
                reportedCount[write.What] = reportedCount.GetValueOrDefault(write.What) + 1;
            }

            killsBeforeFirstWrite += reported.Count == 0 ? 1 : 0;
            if (!Directory.Exists(folder))
            {
                continue; // killed before it created the folder
            }

            // Every file as the kill left it, read by a strict parser.
            var audit = FolderAudit.Inspect(folder, archives, readTranscripts: false);
            corrupt.AddRange(audit.Unreadable.Select(p => $"kill {kill}: {p}"));
            corrupt.AddRange(audit.MovedAside.Select(p => $"kill {kill}: moved aside as corrupt: {p}"));
            otherProblems.AddRange(audit.NotOwnerOnly.Select(p => $"kill {kill}: {p}"));
            tempFilesLeft += audit.TempFiles.Count;
            killsLeavingTempFiles += audit.TempFiles.Count > 0 ? 1 : 0;

            // The dead writer's lock is free at once (the kernel dropped it when it reaped the process); the commit
            // record it may have left says how far its last commit got.
            var lockClock = Stopwatch.StartNew();
            var held = new FolderLock(folder, TimeSpan.Zero).TryAcquireNow();
            lockClock.Stop();
            Assert.True(held is not null, $"kill {kill}: the lock of a killed writer was still held");
            using (held)
            {
                switch (CommitRecordState(held))
                {
                    case "prepared": records.Prepared++; break;
                    case "committed": records.Committed++; break;
                }
            }

            maxLockRecovery = lockClock.Elapsed > maxLockRecovery ? lockClock.Elapsed : maxLockRecovery;

            // A new store recovers; then the folder must hold exactly the writes that landed.
            await using var store = new FileSessionStore(folder);
            var leftover = Directory.GetFiles(folder, "*.sktmp");
            Assert.True(leftover.Length == 0, $"kill {kill}: opening a store left temp files: {string.Join(", ", leftover.Select(Path.GetFileName))}");
            var disk = await FolderContent.ReadAsync(store, archives, corrupt, kill);

            model.AddRange(reported);
            if (begun is { } flying)
            {
                var parts = model.LandedParts(flying, disk);
                if (parts.Values.All(landed => landed))
                {
                    model.Add(flying);
                    inFlight.Landed++;
                }
                else if (parts.Values.Any(landed => landed))
                {
                    halfApplied.Add($"kill {kill}: {flying.Tag} ({flying.What}) landed only in part: {string.Join(", ", parts.Select(p => $"{p.Key} {(p.Value ? "landed" : "missing")}"))}");
                }
                else
                {
                    inFlight.NotLanded++;
                }
            }

            lost.AddRange(model.FindMissing(disk, onlyChild: kill).Select(p => $"kill {kill}: {p}"));
        }

        // Final pass over everything that landed, every archive byte for byte, and every transcript line.
        await using (var store = new FileSessionStore(folder))
        {
            lost.AddRange(model.FindMissing(await FolderContent.ReadAsync(store, archives, corrupt, kill: -1), onlyChild: null).Select(p => $"final: {p}"));
        }

        corrupt.AddRange(archives.VerifyUnchanged(folder).Select(p => $"final: {p}"));
        var final = FolderAudit.Inspect(folder, archives, readTranscripts: true);
        corrupt.AddRange(final.Unreadable.Select(p => $"final: {p}"));
        otherProblems.AddRange(final.NotOwnerOnly.Select(p => $"final: {p}"));

        var reportedTotal = reportedCount.Values.Sum();
        output.WriteLine($"Crash safety (seed {Seed}): {Kills} SIGKILLs in {clock.Elapsed.TotalSeconds:F1} s on one folder");
        output.WriteLine($"  writes reported complete before a kill: {reportedTotal} ({string.Join(", ", reportedCount.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))})");
        output.WriteLine($"  kills in the middle of a write: {inFlight.Landed + inFlight.NotLanded + halfApplied.Count} (landed whole: {inFlight.Landed}, not at all: {inFlight.NotLanded}, half-applied: {halfApplied.Count}); kills before the first write: {killsBeforeFirstWrite}");
        output.WriteLine($"  left by the kills: temp files in {killsLeavingTempFiles} kills ({tempFilesLeft} files), commit records {records.Prepared} prepared (undone) and {records.Committed} committed (finished), all cleaned up by the next open");
        output.WriteLine($"  files at the end: {final.JsonFiles} JSON, {final.Archives} archives (rotations), {final.Transcripts} transcripts ({final.TornTranscriptLines} torn transcript lines)");
        output.WriteLine($"  slowest lock recovery after a kill: {maxLockRecovery.TotalMilliseconds:F2} ms (first try, no waiting)");
        output.WriteLine($"  corrupt files: {corrupt.Count}; lost reported writes: {lost.Count}; half-applied completions: {halfApplied.Count}; other problems: {otherProblems.Count}");

        Assert.True(corrupt.Count == 0, string.Join(Environment.NewLine, corrupt.Take(20)));
        Assert.True(lost.Count == 0, string.Join(Environment.NewLine, lost.Take(20)));
        Assert.True(halfApplied.Count == 0, string.Join(Environment.NewLine, halfApplied.Take(20)));
        Assert.True(otherProblems.Count == 0, string.Join(Environment.NewLine, otherProblems.Take(20)));
        Assert.Equal(0, final.TornTranscriptLines);

        // The run was meaningful: many writes of every kind, kills inside writes, several rotations, a ledger ring that
        // never had to drop an entry.
        Assert.True(reportedTotal >= 10 * Kills, $"only {reportedTotal} writes were reported");
        Assert.All(WriterReplies.What, what => Assert.True(reportedCount.GetValueOrDefault(what) > 0, $"no {what} write"));
        Assert.True(inFlight.Landed + inFlight.NotLanded >= Kills / 2, $"only {inFlight.Landed + inFlight.NotLanded} kills landed inside a write");
        Assert.True(final.Archives >= 10, $"only {final.Archives} rotations happened");
        Assert.True(model.LedgerCount < 10_000, "the ledger ring could have dropped entries");
    }

    private static string? CommitRecordState(FolderLock.Held held)
    {
        var record = held.CommitRecordAtAcquire;
        if (record.IsEmpty)
        {
            return null;
        }

        using var json = JsonDocument.Parse(record);
        return json.RootElement.GetProperty("state").GetString();
    }

    /// <summary>One write of the child: <c>begin &lt;tag&gt; &lt;what&gt; &lt;key&gt; &lt;sessionId&gt;</c>, confirmed by an <c>ok</c> line.</summary>
    private sealed record ChildWrite(int Child, string Tag, string What, string Key, string SessionId)
    {
        public bool WritesSession => What is "user" or "subagent" or "ledger-alert" or "cron-output";

        public string Reply => What switch
        {
            "user" or "subagent" => WriterReplies.Conversation(Tag),
            "ledger-alert" => WriterReplies.Alert(Tag),
            "ledger-ack" or "explicit-ack" => WriterReplies.Ack(Tag),
            "cron-output" => WriterReplies.CronOutput(Tag),
            _ => WriterReplies.CronSilent,
        };

        /// <summary>What the write leaves in a ring's summary: an alert's text, an ack's note (its tag).</summary>
        public string RingSummary => What == "ledger-alert" ? WriterReplies.Alert(Tag) : Tag;

        /// <summary>The run record entry of a cron write.</summary>
        public (CronRunVerdict, string) Run => What == "cron-output" ? (CronRunVerdict.Output, WriterReplies.CronOutput(Tag)) : (CronRunVerdict.Silent, WriterReplies.CronSilent);
    }

    private static class ChildLines
    {
        /// <summary>The writes the child reported, and the one it had begun and not reported (in flight at the kill).</summary>
        public static (List<ChildWrite> Reported, ChildWrite? InFlight) Parse(IReadOnlyList<string> lines, int child)
        {
            var reported = new List<ChildWrite>();
            ChildWrite? begun = null;
            foreach (var line in lines)
            {
                var parts = line.Split(' ');
                if (parts is ["begin", var tag, var what, var key, var sessionId] && WriterReplies.What.Contains(what))
                {
                    Assert.True(begun is null, $"child {child}: a write began before the previous one was reported: {line}");
                    begun = new ChildWrite(child, tag, what, key, sessionId);
                }
                else if (parts is ["ok", _, var key2, var sessionId2, var tag2, var what2] && begun is { } b && b.Tag == tag2 && b.What == what2 && b.Key == key2)
                {
                    // A continued or new session reports the id it used; the keys here are new, so it is the handle's.
                    Assert.True(!b.WritesSession || b.SessionId == sessionId2, $"child {child}: {line} reports another session id than it began with");
                    reported.Add(b);
                    begun = null;
                }
                else
                {
                    Assert.Fail($"unexpected output from child {child}: {line}");
                }
            }

            return (reported, begun);
        }
    }

    /// <summary>What the folder holds after recovery, read through the store (and raw where the store trims).</summary>
    private sealed record FolderContent(
        HashSet<(string Key, string SessionId)> Entries,
        Func<string, Task<Transcript?>> Transcript,
        List<HeartbeatRingEntry> Ledger,
        List<HeartbeatRingEntry> Explicit,
        HeartbeatState State,
        List<CronRun> Runs)
    {
        public static async Task<FolderContent> ReadAsync(FileSessionStore store, ArchiveCache archives, List<string> corrupt, int kill)
        {
            try
            {
                // Recovery may have finished a commit that rotated: read archives that appeared since the audit too.
                foreach (var archive in store.ListArchives())
                {
                    if (archives.Add(archive) is { } problem)
                    {
                        corrupt.Add($"kill {kill}: {Path.GetFileName(archive)}: {problem}");
                    }
                }

                var live = (await store.ReadSessionsAsync()).Where(e => e.SessionId is not null).Select(e => (e.Key, e.SessionId!)).ToHashSet();
                live.UnionWith(archives.Pairs);
                var ledger = (await store.ReadHeartbeatRingAsync(LedgerRing)).Entries.ToList();
                var explicitRing = (await store.ReadHeartbeatRingAsync(ExplicitRing)).Entries.ToList();
                var raw = await ((FileStoreAgent)new FileStoreEngine().OpenAgent([store.Folder])).CountStoredRingEntriesAsync(ExplicitRing);
                if (raw is var (max, count) && count > max)
                {
                    corrupt.Add($"kill {kill}: {ExplicitRing} holds {count} entries, more than {max}");
                }

                return new FolderContent(
                    live,
                    id => store.ReadTranscriptAsync(id).AsTask(),
                    ledger,
                    explicitRing,
                    await store.ReadHeartbeatStateAsync(),
                    (await store.ReadCronRunsAsync(CronOwner)).Runs.ToList());
            }
            catch (SessionStoreCorruptFileException ex)
            {
                corrupt.Add($"kill {kill}: {ex.Message}");
                throw;
            }
        }
    }

    /// <summary>Every write that landed, in the order they landed (one writer at a time), and what they add up to.</summary>
    private sealed class LandedWrites
    {
        private readonly List<ChildWrite> _writes = [];

        public int LedgerCount => _writes.Count(w => w.What.StartsWith("ledger", StringComparison.Ordinal));

        public void Add(ChildWrite write) => _writes.Add(write);

        public void AddRange(IEnumerable<ChildWrite> writes) => _writes.AddRange(writes);

        /// <summary>For the write in flight at a kill: which of its parts are on disk (the model holds every write before it).</summary>
        public Dictionary<string, bool> LandedParts(ChildWrite write, FolderContent disk)
        {
            var parts = new Dictionary<string, bool>(StringComparer.Ordinal);
            if (write.WritesSession)
            {
                parts["entry"] = disk.Entries.Contains((write.Key, write.SessionId));
                var transcript = disk.Transcript(write.SessionId).GetAwaiter().GetResult();
                parts["transcript"] = transcript is not null && transcript.Messages.Any(m => m.Content == write.Reply);
            }

            if (write.What is "ledger-alert" or "ledger-ack")
            {
                parts["ring"] = disk.Ledger.Count > 0 && disk.Ledger[^1].Summary == write.RingSummary;
            }

            if (write.What == "explicit-ack")
            {
                parts["ring"] = disk.Explicit.Count > 0 && disk.Explicit[^1].Summary == write.RingSummary;
            }

            if (write.What is "ledger-alert" or "ledger-ack" or "explicit-ack")
            {
                var with = Expected([.. _writes, write]);
                var without = Expected(_writes);
                var actual = StateOf(disk.State);
                parts["heartbeat state"] = actual == with;
                if (actual != with && actual != without)
                {
                    parts["heartbeat state (neither before nor after)"] = false;
                }
            }

            if (write.What is "cron-output" or "cron-silent")
            {
                parts["run record"] = disk.Runs.Count == Runs(_writes).Count + 1 && disk.Runs[^1].Verdict == write.Run.Item1 && disk.Runs[^1].Summary == write.Run.Item2;
            }

            return parts;
        }

        /// <summary>What is missing or wrong on disk compared with every landed write (or only those of one child).</summary>
        public List<string> FindMissing(FolderContent disk, int? onlyChild)
        {
            var problems = new List<string>();
            foreach (var write in _writes.Where(w => w.WritesSession && (onlyChild is null || w.Child == onlyChild)))
            {
                if (!disk.Entries.Contains((write.Key, write.SessionId)))
                {
                    problems.Add($"{write.Tag} ({write.What}): no entry {write.Key} → {write.SessionId} in sessions.json or any archive");
                }

                var transcript = disk.Transcript(write.SessionId).GetAwaiter().GetResult();
                if (transcript is null || transcript.SkippedLines != 0
                    || !transcript.Messages.Select(m => (m.Role, m.Content)).SequenceEqual([("user", WriterReplies.Prompt(write.Tag)), ("assistant", write.Reply)]))
                {
                    problems.Add($"{write.Tag} ({write.What}): transcript {write.SessionId}.jsonl is not exactly its prompt and reply: {(transcript is null ? "missing" : string.Join(" | ", transcript.Messages.Select(m => m.Content)))}");
                }
            }

            // The ledger ring holds every ledger write, in order; the explicit ring the last 50 explicit acks.
            var ledger = _writes.Where(w => w.What.StartsWith("ledger", StringComparison.Ordinal)).Select(w => (w.What == "ledger-ack" ? HeartbeatResult.Ok : HeartbeatResult.Alert, w.RingSummary)).ToList();
            if (!disk.Ledger.Select(e => (e.Result, e.Summary)).SequenceEqual(ledger))
            {
                problems.Add($"{LedgerRing} holds {disk.Ledger.Count} entries, not exactly the {ledger.Count} ledger writes that landed, in order");
            }

            var explicitAcks = _writes.Where(w => w.What == "explicit-ack").Select(w => w.RingSummary).TakeLast(ExplicitRingSize).ToList();
            if (!disk.Explicit.Select(e => e.Summary).SequenceEqual(explicitAcks))
            {
                problems.Add($"{ExplicitRing} is not exactly the last {explicitAcks.Count} explicit acks that landed, in order");
            }

            var expected = Expected(_writes);
            if (StateOf(disk.State) != expected)
            {
                problems.Add($"heartbeat-state.json is {StateOf(disk.State)}, the landed writes add up to {expected}");
            }

            var runs = Runs(_writes);
            if (!disk.Runs.Select(r => (r.Verdict, r.Summary)).SequenceEqual(runs))
            {
                problems.Add($"cron-runs.json holds {disk.Runs.Count} runs of {CronOwner}, not exactly the {runs.Count} cron writes that landed, in order");
            }

            return problems;
        }

        private static (int All, int Ledger, int Explicit, string? LastAlert) StateOf(HeartbeatState state) =>
            (state.ConsecutiveOks, state.Tasks.GetValueOrDefault(LedgerOwner)?.ConsecutiveOks ?? 0, state.Tasks.GetValueOrDefault(ExplicitOwner)?.ConsecutiveOks ?? 0, state.LastAlertSummary);

        /// <summary>The heartbeat state's counts and last alert that <paramref name="writes"/> add up to.</summary>
        private static (int All, int Ledger, int Explicit, string? LastAlert) Expected(IEnumerable<ChildWrite> writes)
        {
            var (all, ledger, explicitAcks, lastAlert) = (0, 0, 0, (string?)null);
            foreach (var write in writes)
            {
                switch (write.What)
                {
                    case "ledger-ack": all++; ledger++; break;
                    case "explicit-ack": all++; explicitAcks++; break;
                    case "ledger-alert": all = 0; ledger = 0; lastAlert = WriterReplies.Alert(write.Tag); break;
                }
            }

            return (all, ledger, explicitAcks, lastAlert);
        }

        private static List<(CronRunVerdict, string)> Runs(IEnumerable<ChildWrite> writes) =>
            writes.Where(w => w.What is "cron-output" or "cron-silent").Select(w => w.Run).ToList();
    }
}
