using System.Globalization;
using SessionKinds.Persistence.Files.Locking;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// Loads a JSON file of the agent folder and, when it does not parse, moves it aside to
/// <c>&lt;name&gt;.corrupt-&lt;timestamp&gt;</c> instead of ever treating it as empty.
/// </summary>
internal static class JsonFile
{
    /// <summary>
    /// Reads and parses <paramref name="path"/> while the caller holds the folder lock. Returns <see langword="null"/> when
    /// the file does not exist. A file that does not parse is moved aside and a <see cref="SessionStoreCorruptFileException"/> thrown.
    /// </summary>
    public static T? LoadForUpdate<T>(string path, TimeProvider time, Func<ReadOnlyMemory<byte>, T> parse)
        where T : class
    {
        if (TryLoad(path, parse, out var value) is not { } problem)
        {
            return value;
        }

        var movedTo = Quarantine(path, time, out var moveError);
        throw new SessionStoreCorruptFileException(path, movedTo, moveError is null ? problem.Message : $"{problem.Message}; moving it aside failed: {moveError.Message}", problem);
    }

    /// <summary>
    /// Reads and parses <paramref name="path"/> without the lock (files are replaced by rename, so a reader always sees a
    /// whole file). Only when the file does not parse does it wait for the lock, read again, and move the file aside.
    /// </summary>
    public static async ValueTask<T?> LoadForReadAsync<T>(string path, TimeProvider time, FolderLock folderLock, Func<ReadOnlyMemory<byte>, T> parse, CancellationToken cancellationToken)
        where T : class
    {
        if (TryLoad(path, parse, out var value) is not { } problem)
        {
            return value;
        }

        FolderLock.Held held;
        try
        {
            held = await folderLock.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreException lockError)
        {
            throw new SessionStoreCorruptFileException(path, null, $"{problem.Message}; it could not be moved aside: {lockError.Message}", problem);
        }

        using (held)
        {
            return LoadForUpdate(path, time, parse);
        }
    }

    /// <summary>Reads and parses the file: <see langword="null"/> with the value (null when there is no file), or why it does not parse.</summary>
    private static InvalidDataException? TryLoad<T>(string path, Func<ReadOnlyMemory<byte>, T> parse, out T? value)
        where T : class
    {
        value = null;
        var bytes = DurableFile.ReadAllBytesOrNull(path);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            value = parse(bytes);
            return null;
        }
        catch (InvalidDataException ex)
        {
            return ex;
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
