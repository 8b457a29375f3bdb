using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SessionKinds.Persistence.Files;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Files;

/// <summary>
/// An oversized <c>sessions.json</c> is archived whole to <c>sessions-&lt;UTC timestamp&gt;.json.gz</c> and the live file
/// keeps the most recently updated entries; only the newest archives are kept, and an archive is never overwritten.
/// </summary>
public sealed class RotationTests
{
    private const long Limit = 16_000;

    [Fact]
    public async Task Rotates_at_the_threshold_into_a_readable_archive_keeping_the_100_newest()
    {
        await using var f = FolderUnderTest.Create(o => o.RotateAtBytes = Limit);
        var written = new List<string>();
        SessionOutcome? rotated = null;
        for (var i = 0; rotated is null; i++)
        {
            Assert.True(i < 1000, "no rotation after 1000 sessions");
            f.Time.Advance(TimeSpan.FromSeconds(1));
            var key = $"agent:main:s{i:D4}";
            var outcome = await f.RunAsync(SessionKind.User, key, "reply");
            written.Add(key);
            if (outcome.ArchivePath is not null)
            {
                rotated = outcome;
            }
            else
            {
                Assert.True(new FileInfo(f.SessionsPath).Length <= Limit);
            }
        }

        // Named after the UTC time of the rotation, ':' replaced by '-', with milliseconds.
        var archiveName = Path.GetFileName(rotated.ArchivePath!);
        var expectedStamp = f.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH'-'mm'-'ss'.'fff'Z'", CultureInfo.InvariantCulture);
        Assert.Equal($"sessions-{expectedStamp}.json.gz", archiveName);
        Assert.Matches(new Regex(@"^sessions-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.json\.gz$"), archiveName);

        // The archive holds the whole store, every key written so far, and is gzip; the transcripts stay.
        using (var gzip = new GZipStream(File.OpenRead(rotated.ArchivePath!), CompressionMode.Decompress))
        using (var archived = JsonDocument.Parse(gzip))
        {
            Assert.Equal(written, archived.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.True(written.Count > 100);
        }

        Assert.Equal(written.Count, Directory.GetFiles(f.Folder, "*.jsonl").Length);

        // The live file keeps the 100 most recently updated entries, in their order.
        Assert.Equal(written.TakeLast(100), (await f.Store.ReadSessionsAsync()).Select(e => e.Key));
        Assert.True(new FileInfo(f.SessionsPath).Length <= Limit);
        Assert.Equal([rotated.ArchivePath!], f.Store.ListArchives());
        Assert.Equal(PersistTargets.SessionEntry | PersistTargets.Transcript, rotated.Written);
    }

    [Fact]
    public async Task Keeps_the_most_recently_updated_entries_not_the_last_positions()
    {
        await using var f = FolderUnderTest.Create(o =>
        {
            o.RotateAtBytes = Limit;
            o.EntriesKeptAfterRotation = 10;
        });
        var next = 0;
        while (!File.Exists(f.SessionsPath) || new FileInfo(f.SessionsPath).Length < Limit - 500)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            await f.RunAsync(SessionKind.User, $"k{next++:D3}", "r");
        }

        // Touch the first key again just before the rotation: it is one of the newest, although first in the file.
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.RunAsync(SessionKind.User, "k000", "again");
        SessionOutcome outcome;
        do
        {
            f.Time.Advance(TimeSpan.FromMilliseconds(1));
            outcome = await f.RunAsync(SessionKind.User, $"k{next++:D3}", "r");
        }
        while (outcome.ArchivePath is null);

        var keys = (await f.Store.ReadSessionsAsync()).Select(e => e.Key).ToList();
        Assert.Equal(10, keys.Count);
        Assert.Equal("k000", keys[0]); // kept, at its position
        Assert.Equal(Enumerable.Range(next - 9, 9).Select(i => $"k{i:D3}"), keys.Skip(1)); // and the 9 most recently updated others
    }

    [Fact]
    public async Task The_entry_being_written_is_always_kept_even_when_the_clock_stands_still()
    {
        await using var f = FolderUnderTest.Create(o =>
        {
            o.RotateAtBytes = 2_000;
            o.EntriesKeptAfterRotation = 3;
        });
        for (var i = 0; i < 40; i++)
        {
            await f.RunAsync(SessionKind.User, $"k{i:D3}", "r");
        }

        // The fake clock never moved: all entries tie; the touched one still survives.
        var outcome = await f.RunAsync(SessionKind.User, "k000", "again");

        Assert.Contains("k000", (await f.Store.ReadSessionsAsync()).Select(e => e.Key));
        Assert.Equal(outcome.SessionId, (await f.Store.FindSessionAsync("k000"))!.SessionId);
    }

    [Fact]
    public async Task Keeps_only_the_newest_archives_and_never_overwrites_one_in_the_same_millisecond()
    {
        await using var f = FolderUnderTest.Create(o =>
        {
            o.RotateAtBytes = 2_000;
            o.EntriesKeptAfterRotation = 5;
            o.ArchivesToKeep = 3;
        });

        // The clock stands still: every rotation happens in the same millisecond.
        var archives = new List<string>();
        for (var i = 0; archives.Count < 6; i++)
        {
            Assert.True(i < 1000);
            if ((await f.RunAsync(SessionKind.User, $"k{i:D4}", "reply")).ArchivePath is { } archive)
            {
                archives.Add(archive);
            }
        }

        const string Stamp = "2025-01-02T03-04-05.678Z";
        Assert.Equal(
            [$"sessions-{Stamp}.json.gz", $"sessions-{Stamp}-1.json.gz", $"sessions-{Stamp}-2.json.gz", $"sessions-{Stamp}-3.json.gz", $"sessions-{Stamp}-4.json.gz", $"sessions-{Stamp}-5.json.gz"],
            archives.Select(Path.GetFileName));

        // Only the three newest remain, newest first; a later rotation sorts before the counters.
        Assert.Equal(archives.TakeLast(3).Reverse(), f.Store.ListArchives());
        Assert.Equal(3, Directory.GetFiles(f.Folder, "sessions-*.json.gz").Length);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        string? later = null;
        for (var i = 0; later is null; i++)
        {
            later = (await f.RunAsync(SessionKind.User, $"later{i:D4}", "reply")).ArchivePath;
        }

        Assert.Equal(later, f.Store.ListArchives()[0]);
        Assert.Equal(3, f.Store.ListArchives().Count);
    }

    [Fact]
    public async Task Two_stores_rotating_in_the_same_millisecond_and_second_never_overwrite_an_archive()
    {
        // Two stores on one folder with clocks frozen at the same instant (as two processes rotating at once would be),
        // then clocks one millisecond apart within the same second.
        await using var f = FolderUnderTest.Create();
        var clockB = Clock.NewFake();
        void Configure(FileSessionStoreOptions o)
        {
            o.RotateAtBytes = 1_200;
            o.EntriesKeptAfterRotation = 2;
            o.ArchivesToKeep = 1_000;
        }

        var a = f.Open(Configure);
        var b = f.Open(Configure, clockB);
        var archives = new ArchiveCache();
        var written = new List<string>();
        for (var i = 0; written.Count < 12; i++)
        {
            Assert.True(i < 2_000);
            if (written.Count == 6 && f.Time.GetUtcNow() == Clock.Start)
            {
                f.Time.Advance(TimeSpan.FromMilliseconds(1));
                clockB.Advance(TimeSpan.FromMilliseconds(1));
            }

            var store = i % 2 == 0 ? a : b;
            if ((await store.CompleteAsync(store.StartSession(SessionKind.User, $"k{i:D4}"), "r")).ArchivePath is { } archive)
            {
                Assert.Null(archives.Add(archive));
                written.Add(Path.GetFileName(archive));
                Assert.Empty(archives.VerifyUnchanged(f.Folder)); // every earlier archive still has its bytes
            }
        }

        Assert.Equal(12, written.Distinct().Count());
        Assert.All(written.Take(6), n => Assert.StartsWith("sessions-2025-01-02T03-04-05.678Z", n, StringComparison.Ordinal));
        Assert.All(written.Skip(6), n => Assert.StartsWith("sessions-2025-01-02T03-04-05.679Z", n, StringComparison.Ordinal));
        Assert.Equal(written.AsEnumerable().Reverse(), a.ListArchives().Select(Path.GetFileName));
    }

    [Fact]
    public async Task Unrelated_files_that_look_like_archives_are_left_alone()
    {
        await using var f = FolderUnderTest.Create(o =>
        {
            o.RotateAtBytes = 2_000;
            o.EntriesKeptAfterRotation = 5;
            o.ArchivesToKeep = 1;
        });
        File.WriteAllText(f.File("sessions-backup.json.gz"), "mine");
        File.WriteAllText(f.File("sessions-2025-01-02.json.gz"), "mine too");

        for (var i = 0; f.Store.ListArchives().Count == 0 || i < 200; i++)
        {
            await f.RunAsync(SessionKind.User, $"k{i:D4}", "reply");
        }

        Assert.Equal("mine", File.ReadAllText(f.File("sessions-backup.json.gz")));
        Assert.Equal("mine too", File.ReadAllText(f.File("sessions-2025-01-02.json.gz")));
        Assert.Single(f.Store.ListArchives());
    }

    [Fact]
    public async Task Unknown_fields_survive_rotation_in_the_archive_and_the_live_file()
    {
        await using var f = FolderUnderTest.Create(o =>
        {
            o.RotateAtBytes = 3_000;
            o.EntriesKeptAfterRotation = 100; // more than there are: the live file keeps them all
        });
        const string Foreign = """
            {"agent:main:main": {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d", "updatedAt": 1735700000000, "kind": "user", "origin": {"label": "Ana \u00e9", "n": [1, 2.50, 1e3]}, "tokens": 12345678901234567890},
             "legacy-entry": "not an object"}
            """;
        File.WriteAllText(f.SessionsPath, Foreign);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.RunAsync(SessionKind.User, "agent:main:main", "kept as one of the newest");
        string? archive = null;
        for (var i = 0; archive is null; i++)
        {
            archive = (await f.RunAsync(SessionKind.User, $"new:{i}", "r")).ArchivePath;
        }

        var archived = Encoding.UTF8.GetString(FolderAudit.Gunzip(File.ReadAllBytes(archive)));
        foreach (var text in new[] { archived, File.ReadAllText(f.SessionsPath) })
        {
            Assert.Contains("\"legacy-entry\": \"not an object\"", text, StringComparison.Ordinal);
            Assert.Contains("\"origin\": {\"label\": \"Ana \\u00e9\", \"n\": [1, 2.50, 1e3]}", text, StringComparison.Ordinal);
            Assert.Contains("\"tokens\": 12345678901234567890", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rotation_is_part_of_its_completion_so_a_failed_archive_write_leaves_everything_as_it_was()
    {
        await using var f = FolderUnderTest.Create(o =>
        {
            o.RotateAtBytes = 3_000;
            o.EntriesKeptAfterRotation = 3;
        });
        await f.RunAsync(SessionKind.User, "agent:main:main", "hello");
        for (var i = 0; new FileInfo(f.SessionsPath).Length < 2_700; i++)
        {
            await f.RunAsync(SessionKind.User, $"agent:main:filler:{i}", "r");
        }

        var before = FolderSnapshot.Take(f.Folder);
        string? failed = null;
        var handle = f.Store.StartSession<InboxCheck>("agent:main:hb:" + new string('k', 400)); // its entry passes the limit
        DurableFile.BeforeReplace.Value = path =>
        {
            if (path.EndsWith(".json.gz", StringComparison.Ordinal))
            {
                failed = path;
                throw new IOException("No space left on device (simulated)");
            }
        };
        SessionStoreException ex;
        try
        {
            ex = await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await f.Store.CompleteAsync(handle, "The build failed"));
        }
        finally
        {
            DurableFile.BeforeReplace.Value = null;
        }

        Assert.Equal(failed, ex.Location);
        Assert.Contains("No space left on device (simulated)", ex.Message, StringComparison.Ordinal);
        Assert.Contains(failed!, ex.Message, StringComparison.Ordinal);
        Assert.Equal(
            before.Files.Where(p => !FileStoreAgent.LockFiles.Contains(p.Key)),
            FolderSnapshot.Take(f.Folder).Files.Where(p => !FileStoreAgent.LockFiles.Contains(p.Key)));
        Assert.Empty(f.Store.ListArchives());

        var outcome = await f.Store.CompleteAsync(handle, "The build failed");
        Assert.NotNull(outcome.ArchivePath);
        Assert.Equal(3, (await f.Store.ReadSessionsAsync()).Count);
    }
}
