using System.Security.Cryptography;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// The one place that touches files durably: staging (temp file in the same folder, flushed to disk, later renamed over
/// the target by <see cref="FolderCommit"/>), owner-only (0600) creation on Unix, link checks, and the clean-up of temp
/// files a crash left behind.
/// </summary>
internal static class DurableFile
{
    /// <summary>
    /// Test seam for failing disks: called with the target path after the temp file is written and before it is
    /// renamed into place; throwing an <see cref="IOException"/> simulates a failed write. Flows with the caller's
    /// execution context only, so parallel tests do not see each other's faults.
    /// </summary>
    internal static readonly AsyncLocal<Action<string>?> BeforeReplace = new();

    /// <summary>
    /// Test seam for failing disks: called with the path of a file about to be appended to (a transcript), after it was
    /// opened (or created) and before the bytes are written; throwing an <see cref="IOException"/> simulates a failed append.
    /// </summary>
    internal static readonly AsyncLocal<Action<string>?> BeforeAppend = new();

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Options for opening a file that may be created: owner-only on Unix, unbuffered.</summary>
    public static FileStreamOptions OpenOptions(FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = 0 };
        if (!OperatingSystem.IsWindows() && mode != FileMode.Open && (access & FileAccess.Write) != 0)
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        return options;
    }

    /// <summary>Creates <paramref name="folder"/> (owner-only on Unix) when it does not exist.</summary>
    public static void EnsureFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }
    }

    /// <summary>
    /// Writes what <paramref name="write"/> writes to a fresh temp file next to <paramref name="path"/> and flushes it to
    /// disk; the caller renames it into place (<see cref="MoveOver"/>) when its commit is applied.
    /// </summary>
    /// <returns>The temp file's full path.</returns>
    /// <exception cref="SessionStoreException">The write failed (named after <paramref name="path"/>); no temp file remains.</exception>
    public static string Stage<TState>(string path, TState state, Action<Stream, TState> write)
    {
        var temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, OpenOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None)))
            {
                write(stream, state);
                stream.Flush(flushToDisk: true);
            }

            BeforeReplace.Value?.Invoke(path);
            return temp;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw WriteFailed(path, ex);
        }
    }

    /// <summary>
    /// Renames <paramref name="temp"/> over <paramref name="path"/> (rename(2) on Unix: atomic, and a link at the target is
    /// replaced, not followed). On Windows a reader that opened the target without delete sharing blocks the replace for a
    /// moment, so it is retried briefly.
    /// </summary>
    public static void MoveOver(string temp, string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                File.Move(temp, path, overwrite: true);
                return;
            }
            catch (Exception ex) when (OperatingSystem.IsWindows() && attempt < 20 && ex is IOException or UnauthorizedAccessException && File.Exists(temp))
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>The content of <paramref name="path"/>, or <see langword="null"/> when it does not exist.</summary>
    /// <exception cref="SessionStoreException">The file exists but cannot be read.</exception>
    public static byte[]? ReadAllBytesOrNull(string path)
    {
        try
        {
            // Share everything, so a reader never blocks an atomic replace (Windows) or another reader.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            var length = stream.Length;
            if (length > Array.MaxLength)
            {
                throw new IOException($"the file is {length} bytes, too large to load");
            }

            var bytes = new byte[length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0)
                {
                    return bytes[..read];
                }

                read += n;
            }

            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SessionStoreException(path, $"Could not read {path}: {ex.Message} Check that the agent folder is readable by this process.", ex);
        }
    }

    /// <summary>Deletes the temp files a crashed writer left in <paramref name="folder"/>; call it only while holding the folder lock.</summary>
    public static int DeleteLeftoverTempFiles(string folder)
    {
        var deleted = 0;
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*" + AgentFileNameRules.TempSuffix, SearchOption.TopDirectoryOnly))
            {
                if (TryDelete(file))
                {
                    deleted++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Listing failed (folder vanished or unreadable): the next open tries again.
        }

        return deleted;
    }

    /// <summary>The target of <paramref name="path"/> when it is a symbolic link (dangling or not), otherwise <see langword="null"/>.</summary>
    public static string? LinkTargetOf(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // opening the path reports the problem
        }
    }

    /// <summary>
    /// Refuses to open <paramref name="path"/> in place when it is a symbolic link: a link planted in the agent folder must
    /// never make the store write outside it. (Files replaced atomically need no check: rename(2) replaces the link itself.)
    /// The check and the open are two steps; the agent folder is owner-only, so only its owner could swap a link in between.
    /// </summary>
    /// <exception cref="SessionStoreException"><paramref name="path"/> is a symbolic link.</exception>
    public static void RefuseLink(string path)
    {
        if (LinkTargetOf(path) is string target)
        {
            throw new SessionStoreException(
                path,
                $"{path} is a symbolic link (to {target}). The store never writes through a link in the agent folder, so nothing was written. " +
                "Replace the link with a regular file or remove it; to keep the files elsewhere, place the whole agent folder there.");
        }
    }

    /// <summary>A fresh temp path next to <paramref name="path"/>: hidden, same folder (so the rename is atomic), ending in <c>.sktmp</c>.</summary>
    public static string TempPathFor(string path)
    {
        Span<byte> random = stackalloc byte[6];
        RandomNumberGenerator.Fill(random);
        var folder = Path.GetDirectoryName(path)!;
        var name = Path.GetFileName(path);
        return Path.Combine(folder, $".{name}.{Convert.ToHexString(random)}{AgentFileNameRules.TempSuffix}");
    }

    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static SessionStoreException WriteFailed(string path, Exception inner) => new(
        path,
        $"Could not write {path}: {inner.Message} The previous version of the file is intact. " +
        "Check free disk space and that the agent folder is writable by this process.",
        inner);
}
