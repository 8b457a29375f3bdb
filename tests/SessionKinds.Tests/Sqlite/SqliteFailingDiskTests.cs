using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Sqlite;

/// <summary>
/// The SQLite engine on a disk that really fills up (a small tmpfs, where this process may mount one; skipped with the
/// reason otherwise): every completion either lands whole and reads back, or fails with a
/// <see cref="SessionStoreException"/> naming the database; one that failed while SQLite was committing is reported as
/// <see cref="SessionStoreCommitUnconfirmedException"/> and counts as completed. The database stays intact, nothing of a
/// failed completion is half there, and with space again every write works and nothing earlier was lost.
/// </summary>
public sealed class SqliteFailingDiskTests(ITestOutputHelper output)
{
    [TmpfsFact]
    public async Task On_a_full_disk_a_completion_lands_whole_or_fails_naming_the_database_and_nothing_is_lost()
    {
        using var temp = new TempFolder();
        using var disk = new SmallTmpfs(Path.Combine(temp.Root, "disk"), "1m");
        var agent = (SqliteStoreAgent)new SqliteStoreEngine().CreateAgent(disk.Path);
        await using var store = agent.Open(new StoreSettings(Clock.NewFake()));
        var first = await store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:main", "hello"), "hi there");
        await store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:hb"), "Disk 97% full");
        await store.CompleteAsync(store.StartSession<MorningBrief>("cron:brief"), "Brief");
        SmallTmpfs.Fill(Path.Combine(disk.Path, "filler.bin"));

        var failed = 0;
        var unconfirmed = 0;
        for (var i = 0; i < 40; i++)
        {
            var before = await agent.SnapshotAsync();
            var handle = (i % 4) switch
            {
                0 => store.StartSession(SessionKind.User, $"agent:main:new:{i}", "p"),
                1 => store.StartSession(SessionKind.User, "agent:main:main", "p"),
                2 => store.StartSession<InboxCheck>("agent:main:hb"),
                _ => store.StartSession<MorningBrief>("cron:brief"),
            };
            var reply = $"reply {i} " + new string((char)('a' + (i % 26)), 20_000);
            try
            {
                var outcome = await store.CompleteAsync(handle, reply);
                if (outcome.Written.HasFlag(PersistTargets.Transcript))
                {
                    Assert.Equal(reply, (await store.ReadTranscriptAsync(outcome.SessionId))!.Messages[^1].Content);
                }
            }
            catch (SessionStoreException ex)
            {
                output.WriteLine($"{i}: {ex.GetType().Name}: {ex.Message}");
                Assert.Equal(agent.DatabasePath, ex.Location);
                Assert.Contains(agent.DatabasePath, ex.Message, StringComparison.Ordinal);
                failed++;
                if (ex is SessionStoreCommitUnconfirmedException)
                {
                    unconfirmed++;
                    Assert.True(handle.IsCompleted);
                }
                else
                {
                    Assert.False(handle.IsCompleted);
                    Assert.Null((await agent.SnapshotAsync()).DifferenceFrom(before));
                }
            }

            Assert.Empty(await agent.FindIntegrityProblemsAsync());
        }

        output.WriteLine($"{failed} of 40 completions failed on the full disk ({unconfirmed} unconfirmed)");
        Assert.True(failed > 0, "the disk never filled up");

        // Space again: writes work, and the first session is whole.
        File.Delete(Path.Combine(disk.Path, "filler.bin"));
        await store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:main", "again"), "with space");
        Assert.Equal(["hello", "hi there"], (await store.ReadTranscriptAsync(first.SessionId))!.Messages.Take(2).Select(m => m.Content));
        Assert.Equal("with space", (await store.ReadTranscriptAsync(first.SessionId))!.Messages[^1].Content);
        Assert.Empty(await agent.FindIntegrityProblemsAsync());
    }
}
