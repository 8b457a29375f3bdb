using System.Diagnostics;

namespace SessionKinds.Tests.Infrastructure;

/// <summary>
/// A small tmpfs mounted for one test (Linux, with permission to mount): a disk that really fills up, and that can be
/// remounted read-only. Tests run as root on CI, where <c>chmod</c> does not stop writes, so this is how a full or
/// read-only disk is produced for real.
/// </summary>
public sealed class SmallTmpfs : IDisposable
{
    /// <summary>Why tmpfs tests cannot run here, or <see langword="null"/> when they can (probed once).</summary>
    public static readonly Lazy<string?> Unavailable = new(Probe);

    public SmallTmpfs(string mountPoint, string size)
    {
        Directory.CreateDirectory(mountPoint);
        var (code, text) = Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", mountPoint);
        if (code != 0)
        {
            throw new InvalidOperationException($"mount failed ({code}): {text}");
        }

        Path = mountPoint;
    }

    public string Path { get; }

    public void RemountReadOnly() => Remount("ro");

    public void RemountReadWrite() => Remount("rw");

    /// <summary>Fills the disk with <paramref name="file"/> until a write fails for lack of space; returns the bytes written.</summary>
    public static long Fill(string file)
    {
        var chunk = new byte[4096];
        long written = 0;
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                stream.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full.
        }

        return written;
    }

    public void Dispose()
    {
        if (Run("umount", Path).Code != 0)
        {
            Run("umount", "-l", Path);
        }
    }

    private void Remount(string mode)
    {
        var (code, text) = Run("mount", "-o", $"remount,{mode}", Path);
        if (code != 0)
        {
            throw new InvalidOperationException($"remount {mode} failed ({code}): {text}");
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux to mount a tmpfs; the simulated write failures (FailingDiskTests) still run";
        }

        var point = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sessionkinds-tests", "tmpfs-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var probe = new SmallTmpfs(point, "64k");
            probe.RemountReadOnly();
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return $"this process may not mount a tmpfs ({ex.Message.Trim()}); the simulated write failures (FailingDiskTests) still run";
        }
        finally
        {
            try
            {
                Directory.Delete(point);
            }
            catch (IOException)
            {
            }
        }
    }

    private static (int Code, string Text) Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            return (-1, $"{program} did not finish");
        }

        return (process.ExitCode, text);
    }
}

/// <summary>A fact that runs only where a tmpfs can be mounted, and says why it was skipped otherwise.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (SmallTmpfs.Unavailable.Value is string reason)
        {
            Skip = reason;
        }
    }
}
