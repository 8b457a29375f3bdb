namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>
/// The floor of a durable rewrite: write a temp file in the same folder, flush it to disk, rename it over the target.
/// Nothing else: no lock, no read, no serialization. Opened the way the runtime opens its temp files (unbuffered, new file).
/// </summary>
internal static class AtomicFile
{
    public static void Replace(string path, ReadOnlySpan<byte> content) => File.Move(Stage(path, content), path, overwrite: true);

    /// <summary>
    /// Replaces two files: both temps written and flushed first, then both renamed — the cheapest order that lands each
    /// file durably (a rename between the flushes makes the second flush commit it too), and the order a store that
    /// lands several files as one unit uses.
    /// </summary>
    public static void ReplaceBoth(string first, ReadOnlySpan<byte> firstContent, string second, ReadOnlySpan<byte> secondContent)
    {
        var firstTemp = Stage(first, firstContent);
        var secondTemp = Stage(second, secondContent);
        File.Move(firstTemp, first, overwrite: true);
        File.Move(secondTemp, second, overwrite: true);
    }

    private static string Stage(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + ".floor-tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        }))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        return temp;
    }

    /// <summary>Appends <paramref name="content"/> in one write and, when <paramref name="flushToDisk"/>, flushes it to disk.</summary>
    public static void Append(string path, ReadOnlySpan<byte> content, bool flushToDisk)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 0,
        });
        stream.Write(content);
        if (flushToDisk)
        {
            stream.Flush(flushToDisk: true);
        }
    }
}
