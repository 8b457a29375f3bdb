using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SessionKinds.Internal;

/// <summary>
/// Serializes every read-modify-write on one agent folder across threads and processes.
/// </summary>
/// <remarks>
/// <para>Two layers: an in-process gate (one <see cref="SemaphoreSlim"/> per full folder path, so threads queue
/// without polling), then the lock file <c>.sessionkinds.lock</c> opened with <see cref="FileShare.None"/>. On Unix
/// .NET backs that with <c>flock(LOCK_EX)</c>, on Windows with an exclusive share mode; either way the operating
/// system drops the lock when its owner exits or is killed, so a crashed owner never blocks the folder: that is the
/// stale-lock recovery, and it takes effect as soon as the kernel has reaped the process.</para>
/// <para>The holder writes its owner record (pid, host, and the time its current run of acquisitions began) into the lock
/// file through the held handle and into <c>.sessionkinds.lock.owner</c>, which waiters can read (the lock file itself
/// cannot be read while locked), so a timeout names the owner. A record naming a process that is no longer running is
/// just history: the next holder overwrites it.</para>
/// <para>The lock is advisory and needs a file system with working locks (local disks; not every network share).</para>
/// </remarks>
internal sealed class FolderLock
{
    private const int OwnerRecordBytes = 512;

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates =
        new(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private static readonly int ProcessId = Environment.ProcessId;
    private static readonly string HostName = SafeHostName();
    private static readonly string OwnerRecordPrefix = string.Create(
        CultureInfo.InvariantCulture, $"{{\"pid\":{ProcessId},\"host\":\"{JsonEncodedText.Encode(HostName)}\",\"since\":");

    private static readonly byte[] OwnerRecordPrefixUtf8 = Encoding.UTF8.GetBytes(OwnerRecordPrefix);

    private readonly SemaphoreSlim _gate;
    private readonly TimeSpan _timeout;

    public FolderLock(string folder, TimeSpan timeout)
    {
        Folder = folder;
        LockPath = Path.Combine(folder, AgentFolderNames.Lock);
        OwnerPath = Path.Combine(folder, AgentFolderNames.LockOwner);
        _timeout = timeout;
        _gate = Gates.GetOrAdd(folder, static _ => new SemaphoreSlim(1, 1));
    }

    public string Folder { get; }

    public string LockPath { get; }

    public string OwnerPath { get; }

    /// <summary>Waits for the folder lock up to the configured timeout (real time).</summary>
    /// <exception cref="AgentStoreLockTimeoutException">The lock was not acquired in time; the message names the lock file and its owner.</exception>
    /// <exception cref="AgentStoreException">The lock file cannot be created (for example a read-only folder).</exception>
    public Held Acquire() => TryAcquireCore(_timeout, throwOnTimeout: true)!.Value;

    /// <summary>Takes the lock only if it is free right now; <see langword="null"/> otherwise.</summary>
    public Held? TryAcquireNow() => TryAcquireCore(TimeSpan.Zero, throwOnTimeout: false);

    private Held? TryAcquireCore(TimeSpan timeout, bool throwOnTimeout)
    {
        var clock = Stopwatch.StartNew();
        if (!_gate.Wait(timeout))
        {
            return throwOnTimeout
                ? throw new AgentStoreLockTimeoutException(LockPath, timeout, null, null, null, "another thread of this process holds it", null)
                : null;
        }

        var handedOver = false;
        try
        {
            var attempt = 0;
            while (true)
            {
                try
                {
                    var stream = new FileStream(LockPath, DurableFile.OpenOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                    WriteOwnerRecord(stream);
                    handedOver = true;
                    return new Held(this, stream);
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw new AgentStoreException(LockPath, $"Could not open the lock file {LockPath}: {ex.Message} Make the agent folder writable by this process.", ex);
                }
                catch (Exception ex) when (ex is DirectoryNotFoundException or PathTooLongException)
                {
                    throw new AgentStoreException(LockPath, $"Could not open the lock file {LockPath}: {ex.Message} Check that the agent folder exists.", ex);
                }
                catch (IOException ex) when (!IsHeldElsewhere(ex))
                {
                    // Not contention (a full disk, a read-only file system, an I/O error): waiting would not help.
                    throw new AgentStoreException(LockPath, $"Could not open the lock file {LockPath}: {ex.Message} Check that the agent folder is on a writable, healthy file system.", ex);
                }
                catch (IOException ex)
                {
                    // Held by another process: retry until the deadline.
                    var remaining = timeout - clock.Elapsed;
                    if (remaining <= TimeSpan.Zero)
                    {
                        return throwOnTimeout ? throw Timeout(timeout, ex) : null;
                    }

                    var delay = Math.Min(1 << Math.Min(attempt, 4), 16) + Random.Shared.Next(0, 3);
                    Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(delay, Math.Max(1, remaining.TotalMilliseconds))));
                    attempt++;
                }
            }
        }
        finally
        {
            if (!handedOver)
            {
                _gate.Release();
            }
        }
    }

    private void WriteOwnerRecord(FileStream lockStream)
    {
        Span<byte> record = stackalloc byte[OwnerRecordBytes];

        // When this process was the last holder, both records already name it (with the time its streak began):
        // skip the writes, which keeps back-to-back operations (a heartbeat ack) lean.
        var prefix = OwnerRecordPrefixUtf8;
        try
        {
            if (RandomAccess.Read(lockStream.SafeFileHandle, record[..prefix.Length], 0) == prefix.Length && record[..prefix.Length].SequenceEqual(prefix))
            {
                return;
            }
        }
        catch (IOException)
        {
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{OwnerRecordPrefix}{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}");
        var length = Encoding.UTF8.GetBytes(text, record);
        record[length..].Fill((byte)' ');
        record[^1] = (byte)'\n';

        // Best effort: the owner record only serves error messages; the OS lock is what protects the files.
        try
        {
            RandomAccess.Write(lockStream.SafeFileHandle, record, 0);
            using var owner = new FileStream(OwnerPath, DurableFile.OpenOptions(FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite));
            RandomAccess.Write(owner.SafeFileHandle, record, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private AgentStoreLockTimeoutException Timeout(TimeSpan timeout, Exception inner)
    {
        int? pid = null;
        string? host = null;
        DateTimeOffset? since = null;
        string? note = null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(OwnerPath));
            var root = document.RootElement;
            if (root.TryGetProperty("pid", out var p) && p.TryGetInt32(out var pidValue))
            {
                pid = pidValue;
            }

            if (root.TryGetProperty("host", out var h) && h.ValueKind == JsonValueKind.String)
            {
                host = h.GetString();
            }

            if (root.TryGetProperty("since", out var s) && s.TryGetInt64(out var sinceMs) && sinceMs is >= 0 and <= 253402300799999)
            {
                since = DateTimeOffset.FromUnixTimeMilliseconds(sinceMs);
            }

            if (pid is int ownerPid && string.Equals(host, HostName, StringComparison.OrdinalIgnoreCase) && !IsRunning(ownerPid))
            {
                note = $"the recorded owner (pid {ownerPid}) is no longer running, so another process that has not yet recorded itself holds the lock";
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or ArgumentException or InvalidOperationException)
        {
            note = "its owner could not be read";
        }

        return new AgentStoreLockTimeoutException(LockPath, timeout, pid, host, since, note, inner);
    }

    /// <summary>Whether opening the lock file failed because another handle holds it (EWOULDBLOCK, or a sharing/lock violation on Windows).</summary>
    private static bool IsHeldElsewhere(IOException ex)
    {
        if (OperatingSystem.IsWindows())
        {
            var code = ex.HResult & 0xFFFF;
            return code is 32 or 33; // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        }

        // .NET reports the errno of a failed flock(LOCK_EX | LOCK_NB): EWOULDBLOCK is 11 on Linux, 35 on macOS and the BSDs.
        return ex.HResult == (OperatingSystem.IsLinux() ? 11 : 35);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    private static string SafeHostName()
    {
        try
        {
            var name = Environment.MachineName;
            return name.Length > 40 ? name[..40] : name;
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    /// <summary>The held lock; disposing it releases the lock file, then the in-process gate.</summary>
    public readonly struct Held : IDisposable
    {
        private readonly FolderLock _owner;
        private readonly FileStream _stream;

        internal Held(FolderLock owner, FileStream stream)
        {
            _owner = owner;
            _stream = stream;
        }

        public void Dispose()
        {
            if (_owner is null)
            {
                return;
            }

            try
            {
                _stream.Dispose();
            }
            finally
            {
                _owner._gate.Release();
            }
        }
    }
}
