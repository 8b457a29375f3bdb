using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Layer 4: an oversized store is archived and the live file keeps the newest entries.</summary>
public class RotationTests
{
    private const long Limit = 16_000;

    [Fact]
    public void Rotates_at_the_threshold_into_a_readable_archive_keeping_the_100_newest()
    {
        using var f = new StoreFixture(o => o.RotateAtBytes = Limit);
        var written = new List<string>();
        SessionOutcome? rotated = null;
        for (var i = 0; rotated is null; i++)
        {
            Assert.True(i < 1000, "no rotation after 1000 sessions");
            f.Time.Advance(TimeSpan.FromSeconds(1));
            var key = $"agent:main:s{i:D4}";
            var outcome = f.Run(SessionKind.User, key, "reply");
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

        // The archive is named after the UTC time of the rotation, ':' replaced by '-', with milliseconds.
        var archiveName = Path.GetFileName(rotated.ArchivePath!);
        var expectedStamp = f.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH'-'mm'-'ss'.'fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"sessions-{expectedStamp}.json.gz", archiveName);
        Assert.Matches(new Regex(@"^sessions-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.json\.gz$"), archiveName);

        // The archive holds the whole store, every key written so far, and is gzip.
        using (var gzip = new GZipStream(File.OpenRead(rotated.ArchivePath!), CompressionMode.Decompress))
        using (var archived = JsonDocument.Parse(gzip))
        {
            Assert.Equal(written, archived.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.True(written.Count > 100);
        }

        // The live file keeps the 100 most recently updated entries, in their order.
        var live = f.Store.ReadSessions();
        Assert.Equal(written.TakeLast(100), live.Select(e => e.Key));
        Assert.True(new FileInfo(f.SessionsPath).Length <= Limit);
        Assert.Equal([rotated.ArchivePath!], f.Store.ListArchives());
    }

    [Fact]
    public void Keeps_the_most_recently_updated_entries_not_the_last_written_positions()
    {
        using var f = new StoreFixture(o =>
        {
            o.RotateAtBytes = Limit;
            o.EntriesKeptAfterRotation = 10;
        });
        for (var i = 0; i < 20; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            f.Run(SessionKind.User, $"k{i:D3}", "r");
        }

        // Touch the oldest key again: it becomes the newest.
        f.Time.Advance(TimeSpan.FromSeconds(1));
        f.Run(SessionKind.User, "k000", "again");
        SessionOutcome outcome;
        var i2 = 20;
        do
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            outcome = f.Run(SessionKind.User, $"k{i2++:D3}", "r");
        }
        while (outcome.ArchivePath is null);

        var keys = f.Store.ReadSessions().Select(e => e.Key).ToList();
        Assert.Equal(10, keys.Count);
        Assert.DoesNotContain("k000", keys); // after 100+ newer writes it is no longer among the newest 10
        Assert.Contains($"k{i2 - 1:D3}", keys);
    }

    [Fact]
    public void The_entry_being_written_is_always_kept_even_when_the_clock_stands_still()
    {
        using var f = new StoreFixture(o =>
        {
            o.RotateAtBytes = 2_000;
            o.EntriesKeptAfterRotation = 3;
        });
        for (var i = 0; i < 40; i++)
        {
            f.Run(SessionKind.User, $"k{i:D3}", "r");
        }

        // The fake clock never moved: all entries tie; the touched one still survives.
        var outcome = f.Run(SessionKind.User, "k000", "again");
        var keys = f.Store.ReadSessions().Select(e => e.Key).ToList();
        Assert.Contains("k000", keys);
        Assert.Equal(outcome.SessionId, f.Store.FindSession("k000")!.SessionId);
    }

    [Fact]
    public void Keeps_only_the_newest_archives_and_never_overwrites_one_in_the_same_millisecond()
    {
        using var f = new StoreFixture(o =>
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
            var outcome = f.Run(SessionKind.User, $"k{i:D4}", "reply");
            if (outcome.ArchivePath is not null)
            {
                archives.Add(outcome.ArchivePath);
            }
        }

        Assert.Equal(6, archives.Distinct().Count());
        var stamp = "2025-01-02T03-04-05.678Z";
        Assert.Equal(
            [$"sessions-{stamp}.json.gz", $"sessions-{stamp}-1.json.gz", $"sessions-{stamp}-2.json.gz", $"sessions-{stamp}-3.json.gz", $"sessions-{stamp}-4.json.gz", $"sessions-{stamp}-5.json.gz"],
            archives.Select(Path.GetFileName));

        // Only the three newest remain, newest first.
        Assert.Equal(archives.TakeLast(3).Reverse(), f.Store.ListArchives());
        Assert.Equal(3, Directory.GetFiles(f.Temp.AgentFolder, "sessions-*.json.gz").Length);

        // Later rotations at a later time sort after the counters.
        f.Time.Advance(TimeSpan.FromSeconds(1));
        string? later = null;
        for (var i = 0; later is null; i++)
        {
            later = f.Run(SessionKind.User, $"later{i:D4}", "reply").ArchivePath;
        }

        Assert.Equal(later, f.Store.ListArchives()[0]);
        Assert.Equal(3, f.Store.ListArchives().Count);
    }

    [Fact]
    public void Unrelated_files_that_look_like_archives_are_left_alone()
    {
        using var f = new StoreFixture(o =>
        {
            o.RotateAtBytes = 2_000;
            o.EntriesKeptAfterRotation = 5;
            o.ArchivesToKeep = 1;
        });
        File.WriteAllText(f.Temp.File("sessions-backup.json.gz"), "mine");

        for (var i = 0; f.Store.ListArchives().Count == 0 || i < 200; i++)
        {
            f.Run(SessionKind.User, $"k{i:D4}", "reply");
        }

        Assert.Equal("mine", File.ReadAllText(f.Temp.File("sessions-backup.json.gz")));
        Assert.Single(f.Store.ListArchives());
    }
}
