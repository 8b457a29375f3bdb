using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// Writes <c>sessions-&lt;UTC timestamp&gt;.json.gz</c> archives and keeps only the newest
/// <see cref="FileSessionStoreOptions.ArchivesToKeep"/>. Names carry milliseconds and, when that name is taken
/// (two rotations in one millisecond), a counter: <c>sessions-2025-01-02T03-04-05.678Z-1.json.gz</c>.
/// An archive is never overwritten.
/// </summary>
internal sealed partial class SessionArchives
{
    private readonly string _folder;
    private readonly FileSessionStoreOptions _options;

    public SessionArchives(string folder, FileSessionStoreOptions options)
    {
        _folder = folder;
        _options = options;
    }

    /// <summary>Stages the whole store as a new gzip archive under a free name; returns its full path.</summary>
    public string StageArchive(FolderCommit commit, ReadOnlyMemory<byte> store)
    {
        var stamp = JsonFile.FileTimestamp(_options.Time.GetUtcNow());

        // Continue after the highest counter already used in this millisecond, so a newer archive never takes the
        // name of one that retention deleted (it would sort as the oldest).
        var first = 0;
        foreach (var existing in ListArchives(_folder))
        {
            if (JsonFile.FileTimestamp(existing.Timestamp) == stamp)
            {
                first = Math.Max(first, existing.Counter + 1);
            }
        }

        for (var counter = first; counter < first + 10_000; counter++)
        {
            var name = counter == 0 ? $"sessions-{stamp}.json.gz" : $"sessions-{stamp}-{counter.ToString(CultureInfo.InvariantCulture)}.json.gz";
            var path = Path.Combine(_folder, name);
            if (Path.Exists(path))
            {
                continue;
            }

            commit.Create(path, stream =>
            {
                using var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
                gzip.Write(store.Span);
            });
            return path;
        }

        throw new SessionStoreException(Path.Combine(_folder, $"sessions-{stamp}.json.gz"), "Could not find a free archive name: 10,000 archives share this timestamp. Remove old archives.");
    }

    /// <summary>Deletes the oldest archives beyond <see cref="FileSessionStoreOptions.ArchivesToKeep"/>; failures to delete are ignored (retried next rotation).</summary>
    public void PruneArchives()
    {
        try
        {
            var archives = ListArchives(_folder);
            for (var i = _options.ArchivesToKeep; i < archives.Count; i++)
            {
                DurableFile.TryDelete(archives[i].Path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder could not be listed; the next rotation prunes.
        }
    }

    /// <summary>The archives in <paramref name="folder"/>, newest first (by the timestamp and counter in their names).</summary>
    public static List<(string Path, DateTimeOffset Timestamp, int Counter)> ListArchives(string folder)
    {
        var result = new List<(string Path, DateTimeOffset Timestamp, int Counter)>();
        foreach (var path in Directory.EnumerateFiles(folder, "sessions-*.json.gz", SearchOption.TopDirectoryOnly))
        {
            var match = ArchiveName().Match(Path.GetFileName(path));
            if (!match.Success
                || !DateTimeOffset.TryParseExact(
                    match.Groups["ts"].Value,
                    ["yyyy-MM-dd'T'HH'-'mm'-'ss'.'fff'Z'", "yyyy-MM-dd'T'HH'-'mm'-'ss'Z'"],
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                    out var timestamp))
            {
                continue;
            }

            var counter = match.Groups["n"].Success && int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            result.Add((path, timestamp, counter));
        }

        result.Sort(static (a, b) =>
        {
            var byTime = b.Timestamp.CompareTo(a.Timestamp);
            return byTime != 0 ? byTime : b.Counter.CompareTo(a.Counter);
        });
        return result;
    }

    [GeneratedRegex(@"^sessions-(?<ts>\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d{3})?Z)(?:-(?<n>\d{1,9}))?\.json\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex ArchiveName();
}
