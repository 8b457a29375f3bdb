using System.Globalization;

namespace SessionKinds.Internal;

/// <summary>
/// Loads a JSON store file and, when it does not parse, moves it aside to <c>&lt;name&gt;.corrupt-&lt;timestamp&gt;</c>
/// instead of ever treating it as empty.
/// </summary>
internal static class StoreFile
{
    /// <summary>
    /// Reads and parses <paramref name="path"/> while the caller holds the folder lock. Returns <see langword="null"/> when
    /// the file does not exist. A file that does not parse is moved aside and an <see cref="AgentStoreCorruptFileException"/> thrown.
    /// </summary>
    public static T? LoadForUpdate<T>(string path, TimeProvider time, Func<ReadOnlyMemory<byte>, T> parse)
        where T : class
    {
        var bytes = DurableFile.ReadAllBytesOrNull(path);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return parse(bytes);
        }
        catch (InvalidDataException ex)
        {
            var movedTo = Quarantine(path, time, out var moveError);
            throw new AgentStoreCorruptFileException(path, movedTo, moveError is null ? ex.Message : $"{ex.Message}; moving it aside failed: {moveError.Message}", ex);
        }
    }

    /// <summary>
    /// Reads and parses <paramref name="path"/> without the lock (atomic replacement means a reader always sees a whole
    /// file). Only when the file does not parse does it take the lock, re-read, and move the file aside.
    /// </summary>
    public static T? LoadForRead<T>(string path, TimeProvider time, FolderLock folderLock, Func<ReadOnlyMemory<byte>, T> parse)
        where T : class
    {
        var bytes = DurableFile.ReadAllBytesOrNull(path);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return parse(bytes);
        }
        catch (InvalidDataException ex)
        {
            FolderLock.Held held;
            try
            {
                held = folderLock.Acquire();
            }
            catch (AgentStoreException lockError)
            {
                throw new AgentStoreCorruptFileException(path, null, $"{ex.Message}; it could not be moved aside: {lockError.Message}", ex);
            }

            using (held)
            {
                return LoadForUpdate(path, time, parse);
            }
        }
    }

    /// <summary>Moves <paramref name="path"/> to a fresh <c>&lt;name&gt;.corrupt-&lt;UTC timestamp&gt;[-n]</c>; returns the new path, or <see langword="null"/> on failure.</summary>
    public static string? Quarantine(string path, TimeProvider time, out Exception? error)
    {
        error = null;
        var stamp = FileTimestamp(time.GetUtcNow());
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var target = attempt == 0 ? $"{path}.corrupt-{stamp}" : $"{path}.corrupt-{stamp}-{attempt.ToString(CultureInfo.InvariantCulture)}";
            if (File.Exists(target))
            {
                continue;
            }

            try
            {
                File.Move(path, target, overwrite: false);
                return target;
            }
            catch (IOException ex) when (File.Exists(target))
            {
                error = ex;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = ex;
                return null;
            }
        }

        return null;
    }

    /// <summary>A UTC ISO 8601 timestamp with milliseconds, ':' replaced by '-' so it is valid in file names everywhere.</summary>
    public static string FileTimestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH'-'mm'-'ss'.'fff'Z'", CultureInfo.InvariantCulture);
}
