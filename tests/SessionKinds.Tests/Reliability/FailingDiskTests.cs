using System.Diagnostics;
using SessionKinds.Internal;
using SessionKinds.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Reliability;

/// <summary>
/// Issue 7, item 4: a full disk and a read-only folder, for real on a small tmpfs where this process may mount one, and
/// simulated through the runtime's write-failure seam everywhere. A write fails with an <see cref="AgentStoreException"/>
/// whose message names the file; the files that were there stay byte for byte; no temp file is left.
/// (DurabilityTests already covers every write failing at once, and sessions.json failing after its transcript lines.)
/// </summary>
public sealed class FailingDiskTests(ITestOutputHelper output)
{
    [TmpfsFact]
    public void On_a_full_disk_every_kind_of_write_fails_naming_its_file_and_changes_nothing()
    {
        using var temp = new TempFolder();
        using var disk = new SmallTmpfs(Path.Combine(temp.Root, "disk"), "64k");
        var folder = Path.Combine(disk.Path, "agent");
        using var store = new AgentStore(folder, Clock.Options(Clock.NewFake()));
        var first = store.Complete(store.StartSession(SessionKind.User, "agent:main:main", "hello"), "hi there");
        store.Complete(store.StartSession<InboxCheck>("agent:main:hb"), "Disk 97% full");
        store.Complete(store.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK");
        var filled = SmallTmpfs.Fill(Path.Combine(disk.Path, "filler.bin"));
        var before = FolderSnapshot.Take(folder);

        (string What, Action Write)[] writes =
        [
            ("new user session", () => store.Complete(store.StartSession(SessionKind.User, "agent:main:other", "p"), "a reply " + new string('x', 8_000))),
            ("continued user session", () => store.Complete(store.StartSession(SessionKind.User, "agent:main:main", "p"), "more " + new string('y', 8_000))),
            ("subagent", () => store.Complete(store.StartSession<Research>("agent:main:sub"), "r")),
            ("heartbeat ack", () => store.Complete(store.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK")),
            ("heartbeat alert", () => store.Complete(store.StartSession<InboxCheck>("agent:main:hb"), "The build failed")),
            ("ring writer", () => store.HeartbeatRing<DiskCheck>().AppendAlert("disk full")),
        ];
        foreach (var (what, write) in writes)
        {
            var ex = Assert.ThrowsAny<AgentStoreException>(write);

            output.WriteLine($"{what}: {ex.Message}");
            Assert.StartsWith(folder + Path.DirectorySeparatorChar, ex.FilePath, StringComparison.Ordinal);
            Assert.Contains(ex.FilePath, ex.Message, StringComparison.Ordinal);
            Assert.Contains("No space left on device", ex.Message, StringComparison.Ordinal);
            Assert.Equal(before.Files, FolderSnapshot.Take(folder).Files);
        }

        // Space again: the same writes work, and nothing earlier was lost.
        File.Delete(Path.Combine(disk.Path, "filler.bin"));
        foreach (var (_, write) in writes)
        {
            write();
        }

        Assert.Equal(["hi there", "more " + new string('y', 8_000)], store.ReadTranscript(first.SessionId)!.Messages.Where(m => m.Role == "assistant").Select(m => m.Content));
        Assert.Equal(4, store.ReadSessions().Count);
        Assert.True(filled > 0);
    }

    [TmpfsFact]
    public void As_the_disk_fills_page_by_page_each_write_either_succeeds_or_fails_without_damage()
    {
        using var temp = new TempFolder();
        using var disk = new SmallTmpfs(Path.Combine(temp.Root, "disk"), "96k");
        var folder = Path.Combine(disk.Path, "agent");
        using var store = new AgentStore(folder, Clock.Options(Clock.NewFake()));
        store.Complete(store.StartSession(SessionKind.User, "agent:main:main", "hello"), "hi");
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

            var before = FolderSnapshot.Take(folder);
            var reply = round % 3 == 0 ? "HEARTBEAT_OK" : $"Alert {round}: " + new string('z', 1_000 * (round % 5));
            var key = round % 2 == 0 ? "agent:main:hb" : $"agent:main:hb:{round}";
            try
            {
                store.Complete(store.StartSession<InboxCheck>(key), reply);
                outcomes["written"] = outcomes.GetValueOrDefault("written") + 1;
            }
            catch (AgentStoreException ex)
            {
                var name = Path.GetFileName(ex.FilePath);
                outcomes[$"failed at {(name.EndsWith(".jsonl", StringComparison.Ordinal) ? "transcript" : name)}"] = outcomes.GetValueOrDefault($"failed at {(name.EndsWith(".jsonl", StringComparison.Ordinal) ? "transcript" : name)}") + 1;
                Assert.Contains(ex.FilePath, ex.Message, StringComparison.Ordinal);
                var after = FolderSnapshot.Take(folder);

                // The file that failed is as it was; an alert whose session could not be recorded left no transcript lines.
                var relative = Path.GetRelativePath(folder, ex.FilePath);
                Assert.Equal(before.Files.GetValueOrDefault(relative), after.Files.GetValueOrDefault(relative));
                if (name is "sessions.json" || name.EndsWith(".jsonl", StringComparison.Ordinal))
                {
                    Assert.Equal(before.Files, after.Files);
                }
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
    public void A_read_only_folder_fails_writes_quickly_naming_the_lock_file_and_still_reads()
    {
        using var temp = new TempFolder();
        using var disk = new SmallTmpfs(Path.Combine(temp.Root, "disk"), "1m");
        var folder = Path.Combine(disk.Path, "agent");
        string sessionId;
        using (var seed = new AgentStore(folder, Clock.Options(Clock.NewFake())))
        {
            sessionId = seed.Complete(seed.StartSession(SessionKind.User, "agent:main:main", "hello"), "hi").SessionId;
            seed.Complete(seed.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK");
        }

        File.WriteAllText(Path.Combine(folder, "heartbeat-ring-disk.json"), "{\"maxEntries\": 5, \"entries\": [");
        disk.RemountReadOnly();
        var before = FolderSnapshot.Take(folder);

        using var store = new AgentStore(folder, Clock.Options(Clock.NewFake(), o => o.LockTimeout = TimeSpan.FromSeconds(30)));
        var clock = Stopwatch.StartNew();
        var ex = Assert.ThrowsAny<AgentStoreException>(() => store.Complete(store.StartSession(SessionKind.User, "agent:main:main", "p"), "r"));
        var ack = Assert.ThrowsAny<AgentStoreException>(() => store.Complete(store.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK"));
        clock.Stop();

        output.WriteLine(ex.Message);
        Assert.IsNotType<AgentStoreLockTimeoutException>(ex);
        Assert.Equal(store.LockFilePath, ex.FilePath);
        Assert.Equal(store.LockFilePath, ack.FilePath);
        Assert.Contains(store.LockFilePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"failing took {clock.Elapsed}: it waited instead of failing fast");

        // Reads still work; a corrupt file that cannot be moved aside is reported and left in place.
        Assert.Single(store.ReadSessions());
        Assert.Equal(1, store.ReadHeartbeatState().ConsecutiveOks);
        Assert.Single(store.ReadHeartbeatRing().Entries);
        Assert.Equal(2, store.ReadTranscript(sessionId)!.Messages.Count);
        var corrupt = Assert.Throws<AgentStoreCorruptFileException>(() => store.ReadHeartbeatRing("heartbeat-ring-disk.json"));
        Assert.Null(corrupt.MovedToPath);
        Assert.Contains("left unchanged", corrupt.Message, StringComparison.Ordinal);

        // A new agent folder cannot be created there, with an error naming it.
        var create = Assert.Throws<AgentStoreException>(() => new AgentStore(Path.Combine(disk.Path, "other-agent")));
        Assert.Contains(Path.Combine(disk.Path, "other-agent"), create.Message, StringComparison.Ordinal);
        Assert.Equal(before.Files, FolderSnapshot.Take(folder).Files);

        // Writable again: writes work.
        disk.RemountReadWrite();
        store.Complete(store.StartSession(SessionKind.User, "agent:main:main", "p"), "r");
        Assert.Equal(4, store.ReadTranscript(sessionId)!.Messages.Count);
    }

    [Fact]
    public void A_failed_transcript_append_leaves_no_empty_transcript_and_truncates_a_continued_one_back()
    {
        using var f = new StoreFixture();
        var first = f.Run(SessionKind.User, "agent:main:main", "hello");
        var before = FolderSnapshot.Take(f.Temp.AgentFolder);
        DurableFile.BeforeAppend.Value = _ => throw new IOException("No space left on device (simulated)");
        try
        {
            var fresh = Assert.ThrowsAny<AgentStoreException>(() => f.Run(SessionKind.User, "agent:main:new", "hi"));
            var continued = Assert.ThrowsAny<AgentStoreException>(() => f.Run(SessionKind.User, "agent:main:main", "again"));

            Assert.EndsWith(".jsonl", fresh.FilePath, StringComparison.Ordinal);
            Assert.Equal(f.Store.TranscriptPath(first.SessionId), continued.FilePath);
            Assert.Contains(fresh.FilePath, fresh.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(fresh.FilePath), "a failed first append left an empty transcript");
            Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.AgentFolder).Files);
        }
        finally
        {
            DurableFile.BeforeAppend.Value = null;
        }
    }

    public static TheoryData<string> FilesThatCanFail => new()
    {
        "heartbeat-state.json",
        "heartbeat-ring.json",
        "sessions-*.json.gz",
    };

    [Theory]
    [MemberData(nameof(FilesThatCanFail))]
    public void A_simulated_failed_write_of_one_file_names_it_leaves_it_intact_and_leaves_no_temp_file(string failing)
    {
        using var f = new StoreFixture(o =>
        {
            o.RotateAtBytes = 3_000;
            o.EntriesKeptAfterRotation = 3;
        });
        f.Run(SessionKind.User, "agent:main:main", "hello");
        f.Run<InboxCheck>("agent:main:hb", "Disk 97% full");
        var failingKey = "agent:main:hb";
        if (failing.EndsWith(".gz", StringComparison.Ordinal))
        {
            // Fill the store to within 300 bytes of the limit; the failing alert then adds an entry under a 400-character
            // key, so it rotates.
            for (var i = 0; new FileInfo(f.SessionsPath).Length < 2_700; i++)
            {
                f.Run(SessionKind.User, $"agent:main:filler:{i}", "r");
            }

            failingKey = "agent:main:hb:" + new string('k', 400);
            Assert.Empty(f.Store.ListArchives());
        }

        var before = FolderSnapshot.Take(f.Temp.AgentFolder);
        string? failedPath = null;
        DurableFile.BeforeReplace.Value = path =>
        {
            if (Path.GetFileName(path) == failing || (failing.EndsWith(".gz", StringComparison.Ordinal) && path.EndsWith(".json.gz", StringComparison.Ordinal)))
            {
                failedPath = path;
                throw new IOException("No space left on device (simulated)");
            }
        };
        AgentStoreException ex;
        try
        {
            ex = Assert.ThrowsAny<AgentStoreException>(() => f.Run<InboxCheck>(failingKey, "The build failed " + new string('x', 300)));
        }
        finally
        {
            DurableFile.BeforeReplace.Value = null;
        }

        Assert.Equal(failedPath, ex.FilePath);
        Assert.Contains(ex.FilePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device (simulated)", ex.Message, StringComparison.Ordinal);
        var after = FolderSnapshot.Take(f.Temp.AgentFolder);
        var relative = Path.GetFileName(ex.FilePath);
        Assert.Equal(before.Files.GetValueOrDefault(relative), after.Files.GetValueOrDefault(relative));
        Assert.Empty(Directory.GetFiles(f.Temp.AgentFolder, "*.sktmp"));
        if (failing.EndsWith(".gz", StringComparison.Ordinal))
        {
            // The archive comes first: sessions.json and the transcripts stay as they were, and no archive exists.
            Assert.Equal(before.Files, after.Files);
            Assert.Empty(f.Store.ListArchives());
        }

        // Written files before the failure are documented to stay; they and everything else still parse.
        Assert.Empty(FolderAudit.Inspect(f.Temp.AgentFolder).Unreadable);
        f.Run<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
    }
}
