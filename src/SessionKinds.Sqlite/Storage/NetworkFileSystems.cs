namespace SessionKinds.Sqlite.Storage;

/// <summary>
/// Detects a database path on a network file system, where SQLite's locks and WAL shared memory do not work reliably and a
/// database can be corrupted. What is detected:
/// <list type="bullet">
/// <item>Linux: the mount holding the path (the longest mount point in <c>/proc/self/mountinfo</c> that contains it, after
/// following symbolic links) has a network file system type: NFS, SMB/CIFS, 9P, AFS, Ceph, GlusterFS, Lustre, GFS2, OCFS2,
/// WebDAV, or a FUSE mount of sshfs, s3fs, rclone or GlusterFS;</item>
/// <item>Windows: a UNC path (<c>\\server\share</c>) or a drive that Windows reports as a network drive;</item>
/// <item>elsewhere (macOS, BSD): nothing is detected; keep the database on a local disk.</item>
/// </list>
/// </summary>
internal static class NetworkFileSystems
{
    private static readonly HashSet<string> NetworkTypes = new(StringComparer.Ordinal)
    {
        "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "ncpfs", "9p", "afs", "coda", "ceph", "glusterfs", "lustre", "gfs", "gfs2",
        "ocfs2", "davfs", "fuse.sshfs", "fuse.s3fs", "fuse.rclone", "fuse.glusterfs", "fuse.davfs", "fuse.gcsfuse", "fuse.juicefs",
    };

    /// <summary>The network file system type holding <paramref name="fullPath"/>, or <see langword="null"/> when none is detected.</summary>
    public static string? Detect(string fullPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return DetectOnWindows(fullPath);
        }

        if (OperatingSystem.IsLinux())
        {
            string mountInfo;
            try
            {
                mountInfo = File.ReadAllText("/proc/self/mountinfo");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null; // no /proc: nothing to go by
            }

            return DetectInMountInfo(mountInfo, ResolveExistingPart(fullPath));
        }

        return null;
    }

    /// <summary>The network type of the mount in <paramref name="mountInfo"/> (the format of <c>/proc/self/mountinfo</c>) that holds <paramref name="path"/>.</summary>
    internal static string? DetectInMountInfo(string mountInfo, string path)
    {
        string? bestMount = null;
        string? bestType = null;
        foreach (var line in mountInfo.Split('\n'))
        {
            // <id> <parent> <major:minor> <root> <mount point> <options> [optional fields…] - <fs type> <source> <super options>
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 5 || separator + 1 >= fields.Length)
            {
                continue;
            }

            var mountPoint = Unescape(fields[4]);
            if (!Contains(mountPoint, path) || (bestMount is not null && mountPoint.Length < bestMount.Length))
            {
                continue;
            }

            bestMount = mountPoint;
            bestType = fields[separator + 1];
        }

        return bestType is not null && IsNetworkType(bestType) ? bestType : null;
    }

    internal static bool IsNetworkType(string type) =>
        NetworkTypes.Contains(type) || type.StartsWith("nfs", StringComparison.Ordinal) || type.StartsWith("smb", StringComparison.Ordinal);

    private static bool Contains(string mountPoint, string path) =>
        mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The mount point field escapes space, tab, newline and backslash as octal (<c>\040</c>).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var result = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                result.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                result.Append(field[i]);
            }
        }

        return result.ToString();
    }

    private static bool IsOctal(string s, int start) =>
        start + 3 <= s.Length && s[start] is >= '0' and <= '7' && s[start + 1] is >= '0' and <= '7' && s[start + 2] is >= '0' and <= '7';

    /// <summary>The path with symbolic links resolved, as far as it exists (the database and its folder may not exist yet).</summary>
    private static string ResolveExistingPart(string fullPath)
    {
        var tail = new Stack<string>();
        var current = fullPath;
        while (!string.IsNullOrEmpty(current) && !Path.Exists(current))
        {
            tail.Push(Path.GetFileName(current));
            current = Path.GetDirectoryName(current);
        }

        if (string.IsNullOrEmpty(current))
        {
            return fullPath;
        }

        string resolved;
        try
        {
            resolved = ResolveLinks(current);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            resolved = current;
        }

        while (tail.Count > 0)
        {
            resolved = Path.Combine(resolved, tail.Pop());
        }

        return resolved;
    }

    private static string ResolveLinks(string path)
    {
        var parent = Path.GetDirectoryName(path);
        var resolvedParent = parent is null ? null : ResolveLinks(parent);
        var here = resolvedParent is null ? path : Path.Combine(resolvedParent, Path.GetFileName(path));
        for (var hops = 0; hops < 40; hops++)
        {
            var info = new FileInfo(here);
            if (info.LinkTarget is not { } target)
            {
                return here;
            }

            here = Path.GetFullPath(target, Path.GetDirectoryName(here) ?? "/");
        }

        return here;
    }

    private static string? DetectOnWindows(string fullPath)
    {
        if (fullPath.StartsWith(@"\\", StringComparison.Ordinal) && !fullPath.StartsWith(@"\\?\", StringComparison.Ordinal) && !fullPath.StartsWith(@"\\.\", StringComparison.Ordinal))
        {
            return "UNC share";
        }

        try
        {
            var root = Path.GetPathRoot(fullPath);
            return root is { Length: > 0 } && new DriveInfo(root).DriveType == DriveType.Network ? "network drive" : null;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
