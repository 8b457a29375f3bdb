using System.Diagnostics;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Writers in several processes (and threads) on one agent folder lose no update.</summary>
public class MultiProcessTests
{
    [Fact]
    public async Task Two_processes_writing_500_sessions_each_end_with_exactly_1000_entries()
    {
        using var temp = new TempFolder();
        var timeout = TimeSpan.FromSeconds(90);

        var results = await Task.WhenAll(
            WriterProcess.RunAsync(timeout, "users", temp.AgentFolder, "500", "agent:a"),
            WriterProcess.RunAsync(timeout, "users", temp.AgentFolder, "500", "agent:b"));

        foreach (var (exitCode, output, error) in results)
        {
            Assert.True(exitCode == 0, $"writer failed ({exitCode}): {error}");
            Assert.Equal("done 500", output.Trim());
        }

        using var store = new AgentStore(temp.AgentFolder);
        var entries = store.ReadSessions();
        Assert.Equal(1000, entries.Count);
        var expected = Enumerable.Range(0, 500).SelectMany(i => new[] { $"agent:a:{i}", $"agent:b:{i}" }).Order(StringComparer.Ordinal);
        Assert.Equal(expected, entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(1000, entries.Select(e => e.SessionId).Distinct().Count());
        foreach (var entry in entries)
        {
            var transcript = store.ReadTranscript(entry.SessionId!)!;
            Assert.Equal(2, transcript.Messages.Count);
            Assert.Equal(0, transcript.SkippedLines);
        }

        Assert.Empty(Directory.GetFiles(temp.AgentFolder, "*.sktmp"));
    }

    [Fact]
    public void Threads_sharing_one_folder_through_separate_stores_lose_no_update()
    {
        using var temp = new TempFolder();
        const int threads = 4;
        const int perThread = 50;

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            using var store = new AgentStore(temp.AgentFolder);
            for (var i = 0; i < perThread; i++)
            {
                store.Complete(store.StartSession(SessionKind.User, $"t{t}:{i}"), "r");
                store.Complete(store.StartSession(SessionKind.Heartbeat, $"t{t}:hb"), "HEARTBEAT_OK");
            }
        });

        using var check = new AgentStore(temp.AgentFolder);
        Assert.Equal(threads * perThread, check.ReadSessions().Count);
        Assert.Equal(threads * perThread, check.ReadHeartbeatState().ConsecutiveOks);
        Assert.Equal(50, check.ReadHeartbeatRing().Entries.Count);
    }

    [Fact]
    public async Task A_held_lock_times_out_naming_its_owner_and_is_released_when_the_owner_is_killed()
    {
        using var temp = new TempFolder();
        using var holder = WriterProcess.Start("hold-lock", temp.AgentFolder);
        try
        {
            var line = await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal($"locked {holder.Id}", line);

            using var store = new AgentStore(temp.AgentFolder, new AgentStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(300) });
            var ex = Assert.Throws<AgentStoreLockTimeoutException>(() => store.Complete(store.StartSession(SessionKind.User, "k"), "r"));
            Assert.Equal(holder.Id, ex.OwnerProcessId);
            Assert.Equal(store.LockFilePath, ex.FilePath);
            Assert.Contains(store.LockFilePath, ex.Message, StringComparison.Ordinal);
            Assert.Contains($"pid {holder.Id}", ex.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(store.SessionsPath));

            // SIGKILL: the owner cannot clean up; the operating system releases its lock.
            holder.Kill();
            await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var clock = Stopwatch.StartNew();
            using var after = new AgentStore(temp.AgentFolder, new AgentStoreOptions { LockTimeout = TimeSpan.FromSeconds(5) });
            after.Complete(after.StartSession(SessionKind.User, "k"), "r");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"recovery took {clock.Elapsed}");
            Assert.Single(after.ReadSessions());
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill();
            }
        }
    }
}
