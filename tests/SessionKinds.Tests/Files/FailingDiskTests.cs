using System.Diagnostics;
using SessionKinds.Persistence.Files;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Files;

/// <summary>
/// A full disk and a read-only folder, for real on a small tmpfs where this process may mount one (skipped with the
/// reason otherwise), and simulated through the write-failure seams everywhere. A write fails with a
/// <see cref="SessionStoreException"/> whose message names the file; the files stay byte for byte; no temp file remains.
/// (Conformance/CompletionUnitTests fails each commit step in turn on every engine.)
/// </summary>
public sealed class FailingDiskTests(ITestOutputHelper output)
{
    [TmpfsFact]
    [Trait("Category", "Guarantees")]
    public async Task On_a_full_disk_every_kind_of_write_fails_naming_its_file_and_changes_nothing()
    {
        using var temp = new TempFolder();
        using var disk = new SmallTmpfs(Path.Combine(temp.Root, "disk"), "128k");
        var folder = Path.Combine(disk.Path, "agent");
        await using var store = new FileSessionStore(folder, new FileSessionStoreOptions { Time = Clock.NewFake() });
        var first = await store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:main", "hello"), "hi there");
        await store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:hb"), "Disk 97% full");
        await store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK");
        await store.CompleteAsync(store.StartSession<MorningBrief>("cron:brief"), "Brief");
        var filled = SmallTmpfs.Fill(Path.Combine(disk.Path, "filler.bin"));
        var before = DataFiles(folder);

        (string What, Func<Task> Write)[] writes =
        [
            ("new user session", async () => await store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:other", "p"), "a reply " + new string('x', 8_000))),
            ("continued user session", async () => await store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:main", "p"), "more " + new string('y', 8_000))),
            ("subagent", async () => await store.CompleteAsync(store.StartSession<Research>("agent:main:sub"), "r")),
            ("heartbeat ack", async () => await store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK")),
            ("heartbeat alert", async () => await store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:hb"), "The build failed")),
            ("cron output", async () => await store.CompleteAsync(store.StartSession<MorningBrief>("cron:brief"), "Brief " + new string('z', 4_000))),
            ("cron silent", async () => await store.CompleteAsync(store.StartSession<MorningBrief>("cron:brief"), "NO_REPLY")),
            ("ring writer", async () => await DiskCheck.OpenHeartbeatRing(store).AppendAlertAsync("disk full")),
        ];
        foreach (var (what, write) in writes)
        {
            var ex = await Assert.ThrowsAnyAsync<SessionStoreException>(write);

            output.WriteLine($"{what}: {ex.Message}");
            Assert.StartsWith(folder + Path.DirectorySeparatorChar, ex.Location, StringComparison.Ordinal);
            Assert.Contains(ex.Location, ex.Message, StringComparison.Ordinal);
            Assert.Contains("No space left on device", ex.Message, StringComparison.Ordinal);
            Assert.Equal(before, DataFiles(folder));
        }

        // Space again: the same writes work, and nothing earlier was lost.
        File.Delete(Path.Combine(disk.Path, "filler.bin"));
        foreach (var (_, write) in writes)
        {
            await write();
        }

        Assert.Equal(["hi there", "more " + new string('y', 8_000)], (await store.ReadTranscriptAsync(first.SessionId))!.Messages.Where(m => m.Role == "assistant").Select(m => m.Content));
        Assert.Equal(5, (await store.ReadSessionsAsync()).Count);
        Assert.True(filled > 0);
    }

    [TmpfsFact]
    public async Task As_the_disk_fills_page_by_page_each_completion_lands_whole_or_not_at_all()
    {
        using var temp = new TempFolder();
        using var disk = new SmallTmpfs(Path.Combine(temp.Root, "disk"), "96k");
        var folder = Path.Combine(disk.Path, "agent");
        await using var store = new FileSessionStore(folder, new FileSessionStoreOptions { Time = Clock.NewFake() });
        await store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:main", "hello"), "hi");
        var filler = Path.Combine(disk.Path, "filler.bin");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var round = 0; round < 40; round++)
        {
            // Leave 0..5 free pages, so the write runs out of space at a different file each time.
            SmallTmpfs.Fill(filler);
            using (var stream = new FileStream(filler, FileMode.Open, FileAccess.Write))
            {
                stream.SetLength(Math.Max(0, stream.Length - ((round % 6) * 4096)));
            }

            var before = DataFiles(folder);
            var reply = round % 3 == 0 ? "HEARTBEAT_OK" : $"Alert {round}: " + new string('z', 1_000 * (round % 5));
            var key = round % 2 == 0 ? "agent:main:hb" : $"agent:main:hb:{round}";
            try
            {
                await store.CompleteAsync(store.StartSession<InboxCheck>(key), reply);
                outcomes["written"] = outcomes.GetValueOrDefault("written") + 1;
            }
            catch (SessionStoreException ex)
            {
                var name = Path.GetFileName(ex.Location);
                var at = $"failed at {(name.EndsWith(".jsonl", StringComparison.Ordinal) ? "the transcript" : name)}";
                outcomes[at] = outcomes.GetValueOrDefault(at) + 1;
                Assert.Contains(ex.Location, ex.Message, StringComparison.Ordinal);

                // Whichever file ran out of space, the completion left nothing: every file as it was.
                Assert.Equal(before, DataFiles(folder));
            }

            var audit = FolderAudit.Inspect(folder);
            Assert.Empty(audit.TempFiles);
            Assert.Empty(audit.Unreadable);
            Assert.Equal(0, audit.TornTranscriptLines);
            File.Delete(filler);
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));
        Assert.True(outcomes.GetValueOrDefault("written") > 0, "no write fit");
        Assert.True(outcomes.Count > 2, "the failures did not land on different files");
    }

    [TmpfsFact]
    public async Task A_read_only_folder_fails_writes_at_once_naming_the_lock_file_and_still_reads()
    {
        using var temp = new TempFolder();
        using var disk = new SmallTmpfs(Path.Combine(temp.Root, "disk"), "1m");
        var folder = Path.Combine(disk.Path, "agent");
        string sessionId;
        await using (var seed = new FileSessionStore(folder, new FileSessionStoreOptions { Time = Clock.NewFake() }))
        {
            sessionId = (await seed.CompleteAsync(seed.StartSession(SessionKind.User, "agent:main:main", "hello"), "hi")).SessionId;
            await seed.CompleteAsync(seed.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK");
            await seed.CompleteAsync(seed.StartSession<MorningBrief>("cron:brief"), "NO_REPLY");
        }

        File.WriteAllText(Path.Combine(folder, "heartbeat-ring-disk.json"), "{\"maxEntries\": 5, \"entries\": [");
        disk.RemountReadOnly();
        var before = FolderSnapshot.Take(folder);

        // A 10-minute lock timeout: failing at once (not waiting, which would hit the guard below) is the point.
        await using var store = new FileSessionStore(folder, new FileSessionStoreOptions { Time = Clock.NewFake(), LockTimeout = TimeSpan.FromMinutes(10) });
        var ex = await Assert.ThrowsAnyAsync<SessionStoreException>(() => store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:main", "p"), "r").AsTask().WaitAsync(TimeSpan.FromMinutes(5)));
        var ack = await Assert.ThrowsAnyAsync<SessionStoreException>(() => store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK").AsTask().WaitAsync(TimeSpan.FromMinutes(5)));

        output.WriteLine(ex.Message);
        Assert.IsNotType<SessionStoreLockTimeoutException>(ex);
        Assert.Equal((store.LockFilePath, store.LockFilePath), (ex.Location, ack.Location));
        Assert.Contains(store.LockFilePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", ex.Message, StringComparison.Ordinal);

        // Reads still work; a corrupt file that cannot be moved aside is reported and left in place.
        Assert.Single(await store.ReadSessionsAsync());
        Assert.Equal(1, (await store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Single((await store.ReadHeartbeatRingAsync()).Entries);
        Assert.Single((await store.ReadCronRunsAsync()).Runs);
        Assert.Equal(2, (await store.ReadTranscriptAsync(sessionId))!.Messages.Count);
        var corrupt = await Assert.ThrowsAsync<SessionStoreCorruptFileException>(async () => await store.ReadHeartbeatRingAsync("heartbeat-ring-disk.json"));
        Assert.Null(corrupt.MovedToPath);
        Assert.Contains("left unchanged", corrupt.Message, StringComparison.Ordinal);

        // A new agent folder cannot be created there, with an error naming it.
        var create = Assert.Throws<SessionStoreException>(() => new FileSessionStore(Path.Combine(disk.Path, "other-agent")));
        Assert.Contains(Path.Combine(disk.Path, "other-agent"), create.Message, StringComparison.Ordinal);
        Assert.Equal(before.Files, FolderSnapshot.Take(folder).Files);

        // Writable again: writes work.
        disk.RemountReadWrite();
        await store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:main", "p"), "r");
        Assert.Equal(4, (await store.ReadTranscriptAsync(sessionId))!.Messages.Count);
    }

    [Fact]
    public async Task A_failed_transcript_append_leaves_no_empty_transcript_and_cuts_a_continued_one_back()
    {
        await using var f = FolderUnderTest.Create();
        var first = await f.RunAsync(SessionKind.User, "agent:main:main", "hello");
        var before = DataFiles(f.Folder);
        DurableFile.BeforeAppend.Value = _ => throw new IOException("No space left on device (simulated)");
        try
        {
            var fresh = await Assert.ThrowsAnyAsync<SessionStoreException>(() => f.RunAsync(SessionKind.User, "agent:main:new", "hi"));
            var continued = await Assert.ThrowsAnyAsync<SessionStoreException>(() => f.RunAsync(SessionKind.User, "agent:main:main", "again"));

            Assert.EndsWith(".jsonl", fresh.Location, StringComparison.Ordinal);
            Assert.Equal(f.Store.TranscriptPath(first.SessionId), continued.Location);
            Assert.Contains(fresh.Location, fresh.Message, StringComparison.Ordinal);
            Assert.Contains("The previous version of the file is intact", fresh.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(fresh.Location), "a failed first append left an empty transcript");
            Assert.Equal(before, DataFiles(f.Folder));
        }
        finally
        {
            DurableFile.BeforeAppend.Value = null;
        }
    }

    [Fact]
    public async Task A_transcript_that_cannot_be_opened_fails_the_completion_naming_it_and_writes_nothing()
    {
        await using var f = FolderUnderTest.Create();
        var first = await f.RunAsync(SessionKind.User, "a", "r");
        File.Delete(f.Store.TranscriptPath(first.SessionId));
        Directory.CreateDirectory(f.Store.TranscriptPath(first.SessionId)); // the transcript cannot be opened
        var before = DataFiles(f.Folder);

        var ex = await Assert.ThrowsAnyAsync<SessionStoreException>(() => f.RunAsync<InboxCheck>("a", "An alert continuing the session"));

        Assert.Equal(f.Store.TranscriptPath(first.SessionId), ex.Location);
        Assert.Equal(before, DataFiles(f.Folder));
    }

    [Fact]
    public async Task A_lock_file_that_cannot_be_opened_fails_at_once_with_a_clear_error_not_a_timeout()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File(".sessionkinds.lock")); // not a file: opening it fails, and waiting would not help
        await using var store = new FileSessionStore(temp.AgentFolder, new FileSessionStoreOptions { LockTimeout = TimeSpan.FromMinutes(10) });

        var ex = await Assert.ThrowsAnyAsync<SessionStoreException>(() => store.CompleteAsync(store.StartSession(SessionKind.User, "k"), "r").AsTask().WaitAsync(TimeSpan.FromMinutes(5)));

        Assert.IsNotType<SessionStoreLockTimeoutException>(ex);
        Assert.Equal(store.LockFilePath, ex.Location);
        Assert.Contains(store.LockFilePath, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(store.SessionsPath));
    }

    [Fact]
    public async Task A_simulated_failure_at_each_commit_step_names_its_file_and_leaves_no_temp_file()
    {
        await using var f = FolderUnderTest.Create();
        await f.RunAsync(SessionKind.User, "agent:main:main", "hello");
        await f.RunAsync<InboxCheck>("agent:main:hb", "Disk 97% full");
        await f.RunAsync<MorningBrief>("cron:brief", "Brief");

        foreach (var step in f.Agent.Engine.CommitSteps)
        {
            var handle = step.Holds == PersistTargets.CronRun ? f.Store.StartSession<MorningBrief>("cron:brief") : f.Store.StartSession<InboxCheck>("agent:main:hb");
            var before = DataFiles(f.Folder);
            SessionStoreException ex;
            using (f.Agent.FailAt(step))
            {
                ex = await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await f.Store.CompleteAsync(handle, "The build failed " + new string('x', 300)));
            }

            var name = Path.GetFileName(ex.Location);
            Assert.True(step.Holds == PersistTargets.Transcript ? name.EndsWith(".jsonl", StringComparison.Ordinal) : name == step.Name || (step.Holds == PersistTargets.HeartbeatRing && name == "heartbeat-ring.json"), $"{step}: the error names {ex.Location}");
            Assert.StartsWith(f.Folder, ex.Location, StringComparison.Ordinal);
            Assert.Contains(ex.Location, ex.Message, StringComparison.Ordinal);
            Assert.Contains("No space left on device (simulated", ex.Message, StringComparison.Ordinal);
            Assert.Contains("The previous version of the file is intact", ex.Message, StringComparison.Ordinal);
            Assert.Equal(before, DataFiles(f.Folder));
            Assert.Empty(Directory.GetFiles(f.Folder, "*.sktmp"));
        }
    }

    /// <summary>The folder's files other than the lock files, with their bytes.</summary>
    private static List<KeyValuePair<string, byte[]>> DataFiles(string folder) =>
        FolderSnapshot.Take(folder).Files.Where(p => !FileStoreAgent.LockFiles.Contains(p.Key)).ToList();
}
