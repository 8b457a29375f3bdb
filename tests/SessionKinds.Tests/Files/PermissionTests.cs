using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Files;

/// <summary>
/// Every file the store creates is owner-only (0600) and the folder 0700 on Unix: sessions, transcripts, heartbeat state,
/// rings, the cron run record, archives, the lock file and its owner and wait records. (The crash and concurrency runs
/// check the mode of every file they leave, through the integrity audit.)
/// </summary>
public sealed class PermissionTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Every_file_and_the_folder_are_created_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var f = FolderUnderTest.Create(o => o.RotateAtBytes = 1_000);
        var outcome = await f.RunAsync(SessionKind.User, "k", "r");
        for (var i = 0; f.Store.ListArchives().Count == 0; i++)
        {
            await f.RunAsync(SessionKind.User, $"k{i}", "r");
        }

        await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");
        await f.RunAsync<MorningBrief>("cron:brief", "NO_REPLY");

        // A writer that has to wait for another process announces itself in the wait record.
        await AnnounceWaitingAsync(f);
        string[] files =
        [
            f.SessionsPath, f.Store.TranscriptPath(outcome.SessionId), f.StatePath, f.RingPath, f.CronRunsPath, f.Store.ListArchives()[0],
            f.Store.LockFilePath, f.File(".sessionkinds.lock.owner"), f.File(".sessionkinds.lock.wait"),
        ];
        foreach (var file in files)
        {
            Assert.True(File.GetUnixFileMode(file) == OwnerOnly, $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
        }

        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(f.Folder));
        Assert.Empty(FolderAudit.Inspect(f.Folder).NotOwnerOnly); // and nothing else in the folder is wider
    }

    /// <summary>Another process holds the lock while a store waits for it, so the waiter stamps the wait record.</summary>
    private static async Task AnnounceWaitingAsync(FolderUnderTest f)
    {
        using var holder = RunningWriter.Start(WriterChild.Arguments("hold-lock", f.Agent));
        await holder.WaitForLinesAsync(1).WaitAsync(TimeSpan.FromSeconds(120));
        using var cancel = new CancellationTokenSource();
        var waiting = f.Store.CompleteAsync(f.Store.StartSession(SessionKind.User, "waiter"), "r", cancel.Token).AsTask();
        // The waiter creates the record on its first poll; watch for it (a signal, however slow the machine).
        await Task.Run(async () =>
        {
            while (!File.Exists(f.File(".sessionkinds.lock.wait")))
            {
                await Task.Delay(5);
            }
        }).WaitAsync(TimeSpan.FromSeconds(120));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await holder.KillAsync(TimeSpan.FromSeconds(120));
    }
}
