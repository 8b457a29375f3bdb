using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Atomic rewrites, crash leftovers, owner-only files.</summary>
public class DurabilityTests
{
    [Fact]
    public void Leftover_temp_files_are_removed_on_the_next_open()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.AgentFolder);
        File.WriteAllText(temp.File(".sessions.json.3F2A1B0C9D8E.sktmp"), "{\"half");
        File.WriteAllText(temp.File(".heartbeat-ring.json.000000000000.sktmp"), "");
        File.WriteAllText(temp.File("notes.tmp"), "not ours");

        using var store = new AgentStore(temp.AgentFolder);

        Assert.Empty(Directory.GetFiles(temp.AgentFolder, "*.sktmp"));
        Assert.Equal("not ours", File.ReadAllText(temp.File("notes.tmp")));
    }

    [Fact]
    public void Writes_leave_no_temp_files_behind()
    {
        using var f = new StoreFixture(o => o.RotateAtBytes = 2_000);
        for (var i = 0; i < 60; i++)
        {
            f.Run(SessionKind.User, $"k{i}", "r");
            f.Run<InboxCheck>("hb", "HEARTBEAT_OK");
        }

        Assert.NotEmpty(f.Store.ListArchives());
        Assert.Empty(Directory.GetFiles(f.Temp.AgentFolder, "*.sktmp"));
    }

    [Fact]
    public void Files_are_created_owner_only_on_unix()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        using var store = new AgentStore(temp.AgentFolder, new AgentStoreOptions { RotateAtBytes = 1_000, Time = Clock.NewFake() });
        var outcome = store.Complete(store.StartSession(SessionKind.User, "k"), "r");
        for (var i = 0; store.ListArchives().Count == 0; i++)
        {
            store.Complete(store.StartSession(SessionKind.User, $"k{i}"), "r");
        }

        store.Complete(store.StartSession<InboxCheck>("hb"), "HEARTBEAT_OK");

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        string[] files = [store.SessionsPath, store.TranscriptPath(outcome.SessionId), store.HeartbeatStatePath, temp.File("heartbeat-ring.json"), store.ListArchives()[0], store.LockFilePath, temp.File(".sessionkinds.lock.owner")];
        foreach (var file in files)
        {
            Assert.True(File.GetUnixFileMode(file) == ownerOnly, $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(temp.AgentFolder));
    }

    [Fact]
    public void A_failed_atomic_replace_leaves_the_previous_file_and_no_temp_file()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.AgentFolder);
        var target = temp.File("heartbeat-state.json");
        Directory.CreateDirectory(target); // the rename over a directory fails

        var ex = Assert.Throws<AgentStoreException>(() => SessionKinds.Internal.DurableFile.ReplaceAtomically(target, "{}"u8));

        Assert.Equal(target, ex.FilePath);
        Assert.Contains(target, ex.Message, StringComparison.Ordinal);
        Assert.Contains("previous version of the file is intact", ex.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(target));
        Assert.Empty(Directory.GetFiles(temp.AgentFolder, "*.sktmp"));
    }

    [Fact]
    public void A_failed_transcript_write_names_the_file_and_leaves_sessions_json_unchanged()
    {
        using var f = new StoreFixture();
        var first = f.Run(SessionKind.User, "a", "r");
        var before = File.ReadAllBytes(f.SessionsPath);
        File.Delete(f.Store.TranscriptPath(first.SessionId));
        Directory.CreateDirectory(f.Store.TranscriptPath(first.SessionId)); // the transcript cannot be opened

        var ex = Assert.ThrowsAny<AgentStoreException>(() => f.Run(SessionKind.User, "a", "again"));

        Assert.Equal(f.Store.TranscriptPath(first.SessionId), ex.FilePath);
        Assert.Equal(before, File.ReadAllBytes(f.SessionsPath));
    }

    [Fact]
    public async Task A_reader_never_sees_a_torn_file_while_a_writer_rewrites_it()
    {
        using var f = new StoreFixture();
        f.Run(SessionKind.User, "seed", new string('x', 50_000));
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(f.SessionsPath));
                Assert.True(json.RootElement.EnumerateObject().Any());
                Interlocked.Increment(ref reads);
            }
        });

        for (var i = 0; i < 100 || (Volatile.Read(ref reads) < 100 && i < 5_000 && !reader.IsCompleted); i++)
        {
            f.Run(SessionKind.User, $"k{i}", "r");
        }

        stop.Cancel();
        await reader;
        Assert.True(reads >= 100, $"only {reads} reads overlapped the writes");
    }

    [Fact]
    public void When_sessions_json_cannot_be_written_the_transcript_lines_are_rolled_back()
    {
        using var f = new StoreFixture();
        var first = f.Run(SessionKind.User, "a", "one");
        var continued = f.Store.TranscriptPath(first.SessionId);
        var before = FolderSnapshot.Take(f.Temp.AgentFolder);
        SessionKinds.Internal.DurableFile.BeforeReplace.Value = path =>
        {
            if (path == f.SessionsPath)
            {
                throw new IOException("No space left on device (simulated)");
            }
        };
        try
        {
            var fresh = f.Store.StartSession(SessionKind.User, "b");
            var again = f.Store.StartSession(SessionKind.User, "a");

            var ex = Assert.Throws<AgentStoreException>(() => f.Store.Complete(fresh, "two"));
            Assert.Throws<AgentStoreException>(() => f.Store.Complete(again, "three"));

            Assert.Equal(f.SessionsPath, ex.FilePath);
            Assert.Contains("No space left on device (simulated)", ex.Message, StringComparison.Ordinal);
            Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.AgentFolder).Files); // new transcript deleted, continued one truncated back
            Assert.True(File.Exists(continued));
            Assert.False(fresh.IsCompleted);
        }
        finally
        {
            SessionKinds.Internal.DurableFile.BeforeReplace.Value = null;
        }
    }

    [Fact]
    public void A_simulated_failed_write_leaves_every_file_intact_and_the_next_write_works()
    {
        using var f = new StoreFixture();
        f.Run(SessionKind.User, "a", "one");
        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");
        var before = FolderSnapshot.Take(f.Temp.AgentFolder);
        SessionKinds.Internal.DurableFile.BeforeReplace.Value = _ => throw new IOException("disk failed (simulated)");
        try
        {
            Assert.Throws<AgentStoreException>(() => f.Run<InboxCheck>("hb", "HEARTBEAT_OK"));
            Assert.Throws<AgentStoreException>(() => f.Run(SessionKind.Subagent, "c", "x"));
            Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.AgentFolder).Files);
        }
        finally
        {
            SessionKinds.Internal.DurableFile.BeforeReplace.Value = null;
        }

        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");
        Assert.Equal(2, f.Store.ReadHeartbeatState().ConsecutiveOks);
    }

    [Fact]
    public void A_lock_file_that_cannot_be_opened_fails_fast_with_a_clear_error_not_a_timeout()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File(".sessionkinds.lock")); // not a file: opening it fails, and waiting would not help
        using var store = new AgentStore(temp.AgentFolder, new AgentStoreOptions { LockTimeout = TimeSpan.FromSeconds(20) });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ex = Assert.ThrowsAny<AgentStoreException>(() => store.Complete(store.StartSession(SessionKind.User, "k"), "r"));

        Assert.IsNotType<AgentStoreLockTimeoutException>(ex);
        Assert.Equal(store.LockFilePath, ex.FilePath);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.False(File.Exists(store.SessionsPath));
    }

    [Fact]
    public void Options_out_of_range_are_rejected_with_their_name()
    {
        using var temp = new TempFolder();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AgentStore(temp.AgentFolder, new AgentStoreOptions { EntriesKeptAfterRotation = 0 }));
        Assert.Contains("EntriesKeptAfterRotation", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentStore(temp.AgentFolder, new AgentStoreOptions { RotateAtBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentStore(temp.AgentFolder, new AgentStoreOptions { LockTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentException>(() => new AgentStore(" "));
    }

    [Fact]
    public void A_disposed_store_refuses_work()
    {
        using var f = new StoreFixture();
        f.Store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => f.Store.StartSession(SessionKind.User, "k"));
    }
}
