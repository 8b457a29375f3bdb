namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>
/// The floor of a durable rewrite: write a temp file in the same folder, flush it to disk, rename it over the target.
/// Nothing else: no lock, no read, no serialization. Opened the way the runtime opens its temp files (unbuffered, new file).
/// </summary>
internal static class AtomicFile
{
    public static void Replace(string path, ReadOnlySpan<byte> content)
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

        File.Move(temp, path, overwrite: true);
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
