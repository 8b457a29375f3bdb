using System.Security.Cryptography;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Reliability;

/// <summary>
/// Issue 7, item 5: symbolic links planted in the agent folder, pointing outside it, never make the store write outside.
/// </summary>
/// <remarks>
/// What the store does (README, Guarantees): files it replaces atomically (<c>sessions.json</c>, <c>heartbeat-state.json</c>,
/// rings) are read through a link, and the first rewrite replaces the link itself with a regular file in the folder
/// (rename(2) replaces the link, not its target), so the target keeps its old bytes and the folder keeps everything.
/// Files it opens in place (transcripts, the lock file) are refused with an error naming them when they are links; the
/// owner and wait records are best effort and skipped. An archive name taken by a link is skipped like a taken name.
/// </remarks>
public class SymlinkTests
{
    private const string SessionId = "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d";

    [Fact]
    public void A_symlinked_sessions_json_is_read_through_and_replaced_never_written_through()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating links needs privileges there
        }

        using var f = new StoreFixture();
        var outside = Outside(f, "sessions.json", $$$"""{"agent:main:main": {"sessionId": "{{{SessionId}}}", "kind": "user", "updatedAt": 1}}""");
        File.CreateSymbolicLink(f.SessionsPath, outside.Path);

        Assert.Equal(SessionId, Assert.Single(f.Store.ReadSessions()).SessionId);
        var outcome = f.Run(SessionKind.User, "agent:main:other", "hi");

        outside.AssertUnchanged();
        Assert.Null(new FileInfo(f.SessionsPath).LinkTarget);
        Assert.Equal(["agent:main:main", "agent:main:other"], f.Store.ReadSessions().Select(e => e.Key));
        Assert.True(File.Exists(f.Store.TranscriptPath(outcome.SessionId)));
        outside.AssertNothingElseOutside();
    }

    [Fact]
    public void Symlinked_heartbeat_files_are_replaced_never_written_through()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var f = new StoreFixture();
        var state = Outside(f, "state.json", """{"consecutiveOKs": 4}""");
        var ring = Outside(f, "ring.json", """{"maxEntries": 50, "entries": []}""");
        File.CreateSymbolicLink(f.StatePath, state.Path);
        File.CreateSymbolicLink(f.RingPath, ring.Path);

        f.Run<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");

        state.AssertUnchanged();
        ring.AssertUnchanged();
        Assert.Equal(5, f.Store.ReadHeartbeatState().ConsecutiveOks);
        Assert.Single(f.Store.ReadHeartbeatRing().Entries);
        state.AssertNothingElseOutside();
    }

    [Fact]
    public void A_symlinked_transcript_is_refused_naming_it_and_nothing_is_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var f = new StoreFixture();
        File.WriteAllText(f.SessionsPath, $$$"""{"agent:main:main": {"sessionId": "{{{SessionId}}}", "kind": "user", "updatedAt": 1}}""");
        var outside = Outside(f, "victim.txt", "do not append here\n");
        var transcript = f.Store.TranscriptPath(SessionId);
        File.CreateSymbolicLink(transcript, outside.Path);
        var before = FolderSnapshot.Take(f.Temp.AgentFolder);

        var ex = Assert.ThrowsAny<AgentStoreException>(() => f.Run(SessionKind.User, "agent:main:main", "hi"));

        Assert.Equal(transcript, ex.FilePath);
        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        outside.AssertUnchanged();
        Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.AgentFolder).Files);
        Assert.Equal(outside.Path, new FileInfo(transcript).LinkTarget);
        outside.AssertNothingElseOutside();
    }

    [Fact]
    public void A_symlinked_lock_file_is_refused_naming_it_and_nothing_is_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.AgentFolder);
        var outside = new OutsideFile(temp, "lock-victim.txt", "precious");
        File.CreateSymbolicLink(temp.File(".sessionkinds.lock"), outside.Path);

        using var store = new AgentStore(temp.AgentFolder, new AgentStoreOptions { LockTimeout = TimeSpan.FromSeconds(20) });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.ThrowsAny<AgentStoreException>(() => store.Complete(store.StartSession(SessionKind.User, "k"), "r"));

        Assert.Equal(store.LockFilePath, ex.FilePath);
        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "it waited instead of failing");
        outside.AssertUnchanged();
        Assert.False(File.Exists(store.SessionsPath));
        outside.AssertNothingElseOutside();
    }

    [Fact]
    public async Task Symlinked_lock_owner_and_wait_records_are_skipped_not_written_through()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.AgentFolder);
        var owner = new OutsideFile(temp, "owner-victim.txt", "precious owner");
        var wait = new OutsideFile(temp, "wait-victim.txt", "precious wait");
        File.CreateSymbolicLink(temp.File(".sessionkinds.lock.owner"), owner.Path);
        File.CreateSymbolicLink(temp.File(".sessionkinds.lock.wait"), wait.Path);

        // A waiter announces itself in the wait record while another process holds the lock.
        using (var holder = RunningWriter.Start("hold-lock", temp.AgentFolder))
        {
            await holder.WaitForLinesAsync(1).WaitAsync(TimeSpan.FromSeconds(60));
            using var waiting = new AgentStore(temp.AgentFolder, new AgentStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(300) });
            Assert.Throws<AgentStoreLockTimeoutException>(() => waiting.Complete(waiting.StartSession(SessionKind.User, "k"), "r"));
            await holder.KillAsync(TimeSpan.FromSeconds(60));
        }

        using var store = new AgentStore(temp.AgentFolder);
        store.Complete(store.StartSession(SessionKind.User, "k"), "r");

        owner.AssertUnchanged();
        wait.AssertUnchanged();
        Assert.Single(store.ReadSessions());
        owner.AssertNothingElseOutside();
    }

    [Fact]
    public void An_archive_name_taken_by_a_link_is_skipped_and_its_target_never_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var f = new StoreFixture(o =>
        {
            o.RotateAtBytes = 1_500;
            o.EntriesKeptAfterRotation = 3;
        });
        var existing = Outside(f, "existing.gz", "not an archive");
        var dangling = Path.Combine(f.Temp.Root, "outside", "created-through-a-link.gz");
        const string stamp = "2025-01-02T03-04-05.678Z"; // the frozen fake clock
        File.CreateSymbolicLink(f.Temp.File($"sessions-{stamp}.json.gz"), dangling);
        File.CreateSymbolicLink(f.Temp.File($"sessions-{stamp}-1.json.gz"), existing.Path);

        string? archive = null;
        for (var i = 0; archive is null; i++)
        {
            Assert.True(i < 200);
            archive = f.Run(SessionKind.User, $"k{i:D3}", "r").ArchivePath;
        }

        Assert.Equal($"sessions-{stamp}-2.json.gz", Path.GetFileName(archive));
        Assert.Null(new FileInfo(archive).LinkTarget);
        Assert.False(File.Exists(dangling));
        existing.AssertUnchanged();
        existing.AssertNothingElseOutside();
    }

    private static OutsideFile Outside(StoreFixture f, string name, string content) => new(f.Temp, name, content);

    /// <summary>A file outside the agent folder (under the test's root) that must never change.</summary>
    private sealed class OutsideFile
    {
        private readonly TempFolder _temp;
        private readonly byte[] _hash;
        private readonly DateTime _written;

        public OutsideFile(TempFolder temp, string name, string content)
        {
            _temp = temp;
            Directory.CreateDirectory(System.IO.Path.Combine(temp.Root, "outside"));
            Path = System.IO.Path.Combine(temp.Root, "outside", name);
            File.WriteAllText(Path, content);
            File.SetLastWriteTimeUtc(Path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            _hash = SHA256.HashData(File.ReadAllBytes(Path));
            _written = File.GetLastWriteTimeUtc(Path);
        }

        public string Path { get; }

        public void AssertUnchanged()
        {
            Assert.Equal(_hash, SHA256.HashData(File.ReadAllBytes(Path)));
            Assert.Equal(_written, File.GetLastWriteTimeUtc(Path));
        }

        /// <summary>Nothing was created outside the agent folder: the test root holds only it and "outside", which holds only the files the test made.</summary>
        public void AssertNothingElseOutside()
        {
            Assert.Equal(["agent", "outside"], Directory.EnumerateFileSystemEntries(_temp.Root).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal));
            var unexpected = Directory.EnumerateFileSystemEntries(System.IO.Path.Combine(_temp.Root, "outside"))
                .Where(p => File.GetLastWriteTimeUtc(p) != _written)
                .ToList();
            Assert.True(unexpected.Count == 0, $"written outside the agent folder: {string.Join(", ", unexpected)}");
        }
    }
}
