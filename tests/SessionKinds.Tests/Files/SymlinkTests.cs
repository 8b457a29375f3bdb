using System.Security.Cryptography;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Files;

/// <summary>
/// Symbolic links planted in the agent folder, pointing outside it, never make the store write outside.
/// </summary>
/// <remarks>
/// Files the store replaces by rename (<c>sessions.json</c>, <c>heartbeat-state.json</c>, rings, <c>cron-runs.json</c>)
/// are read through a link, and the first rewrite replaces the link itself with a regular file in the folder (rename(2)
/// replaces the link, not its target), so the target keeps its old bytes and the folder keeps everything. Files it opens
/// in place (transcripts, the lock file) are refused with an error naming them when they are links; the owner and wait
/// records are best effort and skipped. An archive name taken by a link is skipped like a taken name. (Creating links
/// needs privileges on Windows, so these run elsewhere.)
/// </remarks>
public sealed class SymlinkTests
{
    private const string SessionId = "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d";

    [Fact]
    public async Task Files_replaced_by_rename_are_read_through_a_link_and_the_link_replaced_never_written_through()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var f = FolderUnderTest.Create();
        var sessions = new OutsideFile(f.Temp, "sessions.json", $$$"""{"agent:main:main": {"sessionId": "{{{SessionId}}}", "kind": "user", "updatedAt": 1}}""");
        var state = new OutsideFile(f.Temp, "state.json", """{"consecutiveOKs": 4}""");
        var ring = new OutsideFile(f.Temp, "ring.json", """{"maxEntries": 50, "entries": []}""");
        var runs = new OutsideFile(f.Temp, "runs.json", """{"maxEntries": 100, "runs": [{"ts": 1, "task": "T", "verdict": "silent", "summary": "", "durationMs": 0}]}""");
        Directory.CreateDirectory(f.Folder);
        File.CreateSymbolicLink(f.SessionsPath, sessions.Path);
        File.CreateSymbolicLink(f.StatePath, state.Path);
        File.CreateSymbolicLink(f.RingPath, ring.Path);
        File.CreateSymbolicLink(f.CronRunsPath, runs.Path);

        Assert.Equal(SessionId, Assert.Single(await f.Store.ReadSessionsAsync()).SessionId);
        var outcome = await f.RunAsync(SessionKind.User, "agent:main:other", "hi");
        await f.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        await f.RunAsync<MorningBrief>("cron:brief", "NO_REPLY");

        foreach (var outside in new[] { sessions, state, ring, runs })
        {
            outside.AssertUnchanged();
        }

        Assert.All(new[] { f.SessionsPath, f.StatePath, f.RingPath, f.CronRunsPath }, p => Assert.Null(new FileInfo(p).LinkTarget));
        Assert.Equal(["agent:main:main", "agent:main:other"], (await f.Store.ReadSessionsAsync()).Select(e => e.Key));
        Assert.Equal(5, (await f.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Single((await f.Store.ReadHeartbeatRingAsync()).Entries);
        Assert.Equal(2, (await f.Store.ReadCronRunsAsync()).Runs.Count);
        Assert.True(File.Exists(f.Store.TranscriptPath(outcome.SessionId)));
        sessions.AssertNothingElseOutside();
    }

    [Fact]
    public async Task A_symlinked_transcript_is_refused_naming_it_and_nothing_of_the_completion_is_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var f = FolderUnderTest.Create();
        Directory.CreateDirectory(f.Folder);
        File.WriteAllText(f.SessionsPath, $$$"""{"agent:main:main": {"sessionId": "{{{SessionId}}}", "kind": "user", "updatedAt": 1}}""");
        var outside = new OutsideFile(f.Temp, "victim.txt", "do not append here\n");
        var transcript = f.Store.TranscriptPath(SessionId);
        File.CreateSymbolicLink(transcript, outside.Path);
        var before = FolderSnapshot.Take(f.Folder);

        var ex = await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await f.RunAsync<InboxCheck>("agent:main:main", "An alert: entry, transcript, state and ring"));

        Assert.Equal(transcript, ex.Location);
        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.Contains(transcript, ex.Message, StringComparison.Ordinal);
        outside.AssertUnchanged();
        Assert.Equal(before.Files.Where(p => !p.Key.StartsWith(".sessionkinds", StringComparison.Ordinal)), FolderSnapshot.Take(f.Folder).Files.Where(p => !p.Key.StartsWith(".sessionkinds", StringComparison.Ordinal)));
        Assert.Equal(outside.Path, new FileInfo(transcript).LinkTarget);
        outside.AssertNothingElseOutside();
    }

    [Fact]
    public async Task A_symlinked_lock_file_is_refused_at_once_naming_it_and_nothing_is_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.AgentFolder);
        var outside = new OutsideFile(temp, "lock-victim.txt", "precious");
        File.CreateSymbolicLink(temp.File(".sessionkinds.lock"), outside.Path);

        await using var store = new FileSessionStore(temp.AgentFolder, new FileSessionStoreOptions { LockTimeout = TimeSpan.FromMinutes(10) });
        var write = store.CompleteAsync(store.StartSession(SessionKind.User, "k"), "r").AsTask();
        var ex = await Assert.ThrowsAnyAsync<SessionStoreException>(() => write.WaitAsync(TimeSpan.FromMinutes(5)));

        // Not a timeout: the 10-minute lock timeout was never waited for.
        Assert.IsNotType<SessionStoreLockTimeoutException>(ex);
        Assert.Equal(store.LockFilePath, ex.Location);
        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
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

        await using var f = FolderUnderTest.Create();
        File.Delete(f.File(".sessionkinds.lock.owner")); // written when the store opened
        var owner = new OutsideFile(f.Temp, "owner-victim.txt", "precious owner");
        var wait = new OutsideFile(f.Temp, "wait-victim.txt", "precious wait");
        File.CreateSymbolicLink(f.File(".sessionkinds.lock.owner"), owner.Path);
        File.CreateSymbolicLink(f.File(".sessionkinds.lock.wait"), wait.Path);

        // A waiter announces itself in the wait record while another process holds the lock.
        using (var holder = RunningWriter.Start(WriterChild.Arguments("hold-lock", f.Agent)))
        {
            await holder.WaitForLinesAsync(1).WaitAsync(TimeSpan.FromSeconds(120));
            await using var waiting = new FileSessionStore(f.Folder, new FileSessionStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(300) });
            await Assert.ThrowsAsync<SessionStoreLockTimeoutException>(async () => await waiting.CompleteAsync(waiting.StartSession(SessionKind.User, "k"), "r"));
            await holder.KillAsync(TimeSpan.FromSeconds(120));
        }

        await f.RunAsync(SessionKind.User, "k", "r");

        owner.AssertUnchanged();
        wait.AssertUnchanged();
        Assert.Single(await f.Store.ReadSessionsAsync());
        owner.AssertNothingElseOutside();
    }

    [Fact]
    public async Task An_archive_name_taken_by_a_link_is_skipped_and_its_target_never_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var f = FolderUnderTest.Create(o =>
        {
            o.RotateAtBytes = 1_500;
            o.EntriesKeptAfterRotation = 3;
        });
        var existing = new OutsideFile(f.Temp, "existing.gz", "not an archive");
        var dangling = Path.Combine(f.Temp.Root, "outside", "created-through-a-link.gz");
        const string Stamp = "2025-01-02T03-04-05.678Z"; // the frozen fake clock
        File.CreateSymbolicLink(f.File($"sessions-{Stamp}.json.gz"), dangling);
        File.CreateSymbolicLink(f.File($"sessions-{Stamp}-1.json.gz"), existing.Path);

        string? archive = null;
        for (var i = 0; archive is null; i++)
        {
            Assert.True(i < 200);
            archive = (await f.RunAsync(SessionKind.User, $"k{i:D3}", "r")).ArchivePath;
        }

        Assert.Equal($"sessions-{Stamp}-2.json.gz", Path.GetFileName(archive));
        Assert.Null(new FileInfo(archive).LinkTarget);
        Assert.False(File.Exists(dangling));
        existing.AssertUnchanged();
        existing.AssertNothingElseOutside();
    }

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
