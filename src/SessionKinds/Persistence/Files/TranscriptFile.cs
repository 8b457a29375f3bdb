using System.Buffers;
using SessionKinds.Engines;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// A transcript <c>&lt;sessionId&gt;.jsonl</c>: the lines of <see cref="TranscriptLines"/>, one per line, append-only.
/// A torn last line (a crash during an append) is skipped by readers, and the next append starts a new line first.
/// </summary>
internal static class TranscriptFile
{
    /// <summary>The file name of a session's transcript.</summary>
    public static string FileName(string sessionId) => sessionId + AgentFileNameRules.TranscriptExtension;

    /// <summary>
    /// The bytes one completion appends: a line break first when a crash tore the last line, the header when the file has
    /// no complete line yet, then the message lines, each ending with <c>\n</c>. Reads only the file's end; creates nothing.
    /// </summary>
    /// <exception cref="SessionStoreException"><paramref name="path"/> is a symbolic link (never written through) or cannot be read.</exception>
    public static Append Prepare(string path, SessionWrite write, string sessionId)
    {
        DurableFile.RefuseLink(path);
        var (length, endsWithNewline, hasCompleteLine) = Inspect(path);
        var buffer = new ArrayBufferWriter<byte>(256);
        if (length > 0 && !endsWithNewline)
        {
            buffer.Write("\n"u8);
        }

        if (!hasCompleteLine)
        {
            buffer.Write(write.CreateHeaderLine(sessionId));
            buffer.Write("\n"u8);
        }

        foreach (var line in write.MessageLines)
        {
            buffer.Write(line.Span);
            buffer.Write("\n"u8);
        }

        return new Append(length, buffer.WrittenMemory);
    }

    /// <summary>
    /// Writes a prepared append at the length it was prepared for and flushes it to disk. On failure the file is cut back
    /// (or removed when this append created it), so a failed append, e.g. on a full disk, leaves nothing behind.
    /// </summary>
    /// <exception cref="SessionStoreException">The write failed.</exception>
    public static void AppendLines(string path, in Append append)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, DurableFile.OpenOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DurableFile.WriteFailed(path, ex);
        }

        Exception failure;
        using (stream)
        {
            try
            {
                DurableFile.BeforeAppend.Value?.Invoke(path);
                RandomAccess.Write(stream.SafeFileHandle, append.Bytes.Span, append.Before);
                stream.Flush(flushToDisk: true);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failure = ex;
            }
        }

        CutBack(path, append.Before, append.Bytes.Length);
        throw DurableFile.WriteFailed(path, failure);
    }

    /// <summary>
    /// Undoes an append of <paramref name="appended"/> bytes at <paramref name="before"/>: cuts the file back to
    /// <paramref name="before"/> (removes it when that is 0). A file longer than the append could have made it has been
    /// written since, and is left alone; so is a link.
    /// </summary>
    public static void CutBack(string path, long before, long appended)
    {
        try
        {
            if (DurableFile.LinkTargetOf(path) is not null || !File.Exists(path))
            {
                return;
            }

            var length = new FileInfo(path).Length;
            if (length > before + appended || (length <= before && before > 0))
            {
                return;
            }

            if (before == 0)
            {
                File.Delete(path);
                return;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
            stream.SetLength(before);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The lines stay: they are valid, and no entry points at a session whose commit did not land.
        }
    }

    /// <summary>Reads a transcript; lines that do not parse (a torn line left by a crash) are skipped and counted.</summary>
    public static Transcript? Read(string path, string sessionId)
    {
        var bytes = DurableFile.ReadAllBytesOrNull(path);
        return bytes is null ? null : TranscriptLines.Parse(sessionId, TranscriptLines.SplitLines(bytes));
    }

    private static (long Length, bool EndsWithNewline, bool HasCompleteLine) Inspect(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            if (length == 0)
            {
                return (0, true, false);
            }

            Span<byte> last = stackalloc byte[1];
            RandomAccess.Read(handle, last, length - 1);
            if (last[0] == (byte)'\n')
            {
                return (length, true, true);
            }

            // A torn last line (rare): is there any complete line before it, e.g. the header?
            var chunk = new byte[64 * 1024];
            for (long offset = 0; offset < length; offset += chunk.Length)
            {
                var read = RandomAccess.Read(handle, chunk.AsSpan(0, (int)Math.Min(chunk.Length, length - offset)), offset);
                if (read <= 0)
                {
                    break;
                }

                if (chunk.AsSpan(0, read).Contains((byte)'\n'))
                {
                    return (length, false, true);
                }
            }

            return (length, false, false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (0, true, false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SessionStoreException(path, $"Could not read {path}: {ex.Message} Check that the agent folder is readable by this process.", ex);
        }
    }

    /// <summary>What one completion appends, and the file length it appends at.</summary>
    internal readonly record struct Append(long Before, ReadOnlyMemory<byte> Bytes);
}
