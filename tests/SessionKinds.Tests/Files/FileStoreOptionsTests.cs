using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Files;

/// <summary>The file engine's own settings and paths: validated when the store opens, copied so later changes do not reach it.</summary>
public sealed class FileStoreOptionsTests
{
    [Fact]
    public void Settings_out_of_range_are_refused_naming_them()
    {
        using var temp = new TempFolder();

        (string Name, Action<FileSessionStoreOptions> Set)[] invalid =
        [
            ("RotateAtBytes", o => o.RotateAtBytes = 0),
            ("EntriesKeptAfterRotation", o => o.EntriesKeptAfterRotation = 0),
            ("ArchivesToKeep", o => o.ArchivesToKeep = -1),
            ("CronRunsToKeep", o => o.CronRunsToKeep = 0),
            ("LockTimeout", o => o.LockTimeout = TimeSpan.FromSeconds(-1)),
            ("LockTimeout", o => o.LockTimeout = TimeSpan.FromDays(30)),
        ];
        foreach (var (name, set) in invalid)
        {
            var options = new FileSessionStoreOptions();
            set(options);
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FileSessionStore(temp.AgentFolder, options));
            Assert.Contains($"FileSessionStoreOptions.{name}", ex.Message, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentException>(() => new FileSessionStore(" "));
        Assert.Throws<ArgumentException>(() => new FileSessionStore(""));
        Assert.Throws<ArgumentException>(() => new FileSessionStore(temp.AgentFolder, new FileSessionStoreOptions { Time = null! }));
        Assert.False(Directory.Exists(temp.AgentFolder), "a refused store created its folder");
    }

    [Fact]
    public async Task The_options_are_copied_when_the_store_opens()
    {
        using var temp = new TempFolder();
        var options = new FileSessionStoreOptions { Time = Clock.NewFake(), RotateAtBytes = 1L << 30 };
        await using var store = new FileSessionStore(temp.AgentFolder, options);
        options.RotateAtBytes = 1;
        options.Time = TimeProvider.System;

        var outcome = await store.CompleteAsync(store.StartSession(SessionKind.User, "k"), "r");

        Assert.Null(outcome.ArchivePath);
        Assert.Equal(Clock.Start, (await store.FindSessionAsync("k"))!.UpdatedAt);
    }

    [Fact]
    public async Task Paths_are_full_and_inside_the_folder()
    {
        using var temp = new TempFolder();
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, temp.AgentFolder) + Path.DirectorySeparatorChar;
        await using var store = new FileSessionStore(relative);
        var id = Guid.NewGuid().ToString();

        Assert.Equal(temp.AgentFolder, store.Folder);
        Assert.Equal(temp.File("sessions.json"), store.SessionsPath);
        Assert.Equal(temp.File("heartbeat-state.json"), store.HeartbeatStatePath);
        Assert.Equal(temp.File("cron-runs.json"), store.CronRunsPath);
        Assert.Equal(temp.File(".sessionkinds.lock"), store.LockFilePath);
        Assert.Equal(temp.File(id + ".jsonl"), store.TranscriptPath(id));
        Assert.Equal(temp.File("heartbeat-ring.json"), store.RingPath());
        Assert.Equal(temp.File("r.json"), store.RingPath("r.json"));
        Assert.Throws<ArgumentException>(() => store.TranscriptPath("../x"));
        Assert.Throws<ArgumentException>(() => store.RingPath("../r.json"));
        Assert.Empty(store.ListArchives());
        await store.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => store.ListArchives());
    }
}
