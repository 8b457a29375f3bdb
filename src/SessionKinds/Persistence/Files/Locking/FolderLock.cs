using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SessionKinds.Persistence.Files;

namespace SessionKinds.Persistence.Files.Locking;

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
/// <para>Fairness: a waiting process stamps <c>.sessionkinds.lock.wait</c> on each poll (every few milliseconds); a process
/// that has kept re-taking the lock for more than 100 ms and sees a fresh stamp from someone else steps aside for 10 ms, so
/// one busy process (or its threads) cannot starve the others.</para>
/// <para>The lock file also carries the folder's commit record after the owner record (<see cref="Held.CommitRecordAtAcquire"/>):
/// the holder writes it through the handle it already has open, so recording a commit costs one write, not a file.</para>
/// <para>Waiting is asynchronous: the in-process gate is awaited and the lock file polled with <see cref="Task.Delay(TimeSpan, CancellationToken)"/>,
/// so no thread is blocked, and cancelling a wait leaves nothing written.</para>
/// <para>The lock is advisory and needs a file system with working locks (local disks; not every network share).</para>
/// </remarks>
internal sealed class FolderLock
{
    private const int OwnerRecordBytes = 512;

    /// <summary>The commit record's place in the lock file: one line after the owner record.</summary>
    private const int CommitRecordOffset = OwnerRecordBytes;

    /// <summary>The largest commit record, its line break included; the lock file never grows past 4 KB.</summary>
    public const int CommitRecordBytes = 4096 - OwnerRecordBytes;

    /// <summary>How recently a waiter must have announced itself for a repeat holder to step aside.</summary>
    private static readonly TimeSpan WaiterFreshness = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a repeat holder steps aside when another process waits (longer than a waiter's poll interval).</summary>
    private static readonly TimeSpan StepAside = TimeSpan.FromMilliseconds(10);

    /// <summary>How long one process may keep re-taking the lock while another waits before it steps aside.</summary>
    private static readonly TimeSpan MaxStreak = TimeSpan.FromMilliseconds(100);

    private static readonly ConcurrentDictionary<string, FolderGate> Gates =
        new(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private static readonly int ProcessId = Environment.ProcessId;
    private static readonly string HostName = SafeHostName();
    private static readonly string OwnerRecordPrefix = string.Create(
        CultureInfo.InvariantCulture, $"{{\"pid\":{ProcessId},\"host\":\"{JsonEncodedText.Encode(HostName)}\",\"since\":");

    private static readonly byte[] OwnerRecordPrefixUtf8 = Encoding.UTF8.GetBytes(OwnerRecordPrefix);

    private readonly FolderGate _folderGate;
    private readonly SemaphoreSlim _gate;
    private readonly TimeSpan _timeout;

    public FolderLock(string folder, TimeSpan timeout)
    {
        Folder = folder;
        LockPath = Path.Combine(folder, AgentFileNameRules.Lock);
        OwnerPath = Path.Combine(folder, AgentFileNameRules.LockOwner);
        WaitPath = Path.Combine(folder, AgentFileNameRules.LockWait);
        _timeout = timeout;
        _folderGate = Gates.GetOrAdd(folder, static _ => new FolderGate());
        _gate = _folderGate.Gate;
    }

    public string Folder { get; }

    public string LockPath { get; }

    public string OwnerPath { get; }

    public string WaitPath { get; }

    /// <summary>Waits for the folder lock up to the configured timeout (real time), asynchronously.</summary>
    /// <exception cref="SessionStoreLockTimeoutException">The lock was not acquired in time; the message names the lock file and its owner.</exception>
    /// <exception cref="SessionStoreException">The lock file cannot be created (for example a read-only folder).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async ValueTask<Held> AcquireAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (!await _gate.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new SessionStoreLockTimeoutException(LockPath, _timeout, null, null, null, "another caller in this process holds it", null);
        }

        var handedOver = false;
        try
        {
            var attempt = 0;
            var steppedAside = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var opened = TryOpen(allowStepAside: !steppedAside && _timeout > StepAside, out var held, out var contention);
                if (opened == OpenResult.Locked)
                {
                    handedOver = true;
                    return held!;
                }

                TimeSpan delay;
                if (opened == OpenResult.SteppedAside)
                {
                    steppedAside = true;
                    delay = StepAside;
                }
                else
                {
                    var remaining = _timeout - clock.Elapsed;
                    if (remaining <= TimeSpan.Zero)
                    {
                        throw Timeout(_timeout, contention!);
                    }

                    AnnounceWaiting();
                    var ms = Math.Min(1 << Math.Min(attempt, 2), 4) + Random.Shared.Next(0, 2);
                    delay = TimeSpan.FromMilliseconds(Math.Min(ms, Math.Max(1, remaining.TotalMilliseconds)));
                    attempt++;
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Takes the lock only if it is free right now; <see langword="null"/> otherwise.</summary>
    /// <exception cref="SessionStoreException">The lock file cannot be created (for example a read-only folder).</exception>
    public Held? TryAcquireNow()
    {
        if (!_gate.Wait(TimeSpan.Zero))
        {
            return null;
        }

        try
        {
            if (TryOpen(allowStepAside: false, out var held, out _) == OpenResult.Locked)
            {
                return held;
            }
        }
        catch
        {
            _gate.Release();
            throw;
        }

        _gate.Release();
        return null;
    }

    private enum OpenResult
    {
        Locked,
        HeldElsewhere,
        SteppedAside,
    }

    /// <summary>One attempt to open and lock the lock file (the in-process gate is already held).</summary>
    private OpenResult TryOpen(bool allowStepAside, out Held? locked, out IOException? contention)
    {
        locked = null;
        contention = null;

        // A link planted at the lock file would make the owner record land outside the folder.
        DurableFile.RefuseLink(LockPath);
        try
        {
            var stream = new FileStream(LockPath, DurableFile.OpenOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            try
            {
                // One read for both records: the owner (was it this process?) and the commit record a crash may have left.
                var handle = stream.SafeFileHandle;
                var head = new byte[OwnerRecordBytes + CommitRecordBytes];
                var read = ReadHead(handle, head);
                var wasLastHolder = read >= OwnerRecordPrefixUtf8.Length && head.AsSpan(0, OwnerRecordPrefixUtf8.Length).SequenceEqual(OwnerRecordPrefixUtf8);
                var now = Stopwatch.GetTimestamp();
                if (!wasLastHolder)
                {
                    Volatile.Write(ref _folderGate.StreakStart, now);
                }
                else if (allowStepAside
                    && Stopwatch.GetElapsedTime(Volatile.Read(ref _folderGate.StreakStart), now) > MaxStreak
                    && AnotherProcessIsWaiting())
                {
                    // This process has kept the lock for a while and another one is waiting: let it have a turn,
                    // so back-to-back writers in one process cannot starve writers in others.
                    stream.Dispose();
                    Volatile.Write(ref _folderGate.StreakStart, Stopwatch.GetTimestamp());
                    return OpenResult.SteppedAside;
                }

                if (!wasLastHolder)
                {
                    WriteOwnerRecord(handle);
                }

                locked = new Held(this, stream, handle, CommitRecordIn(head.AsSpan(0, read)));
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            return OpenResult.Locked;
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SessionStoreException(LockPath, $"Could not open the lock file {LockPath}: {ex.Message} Make the agent folder writable by this process.", ex);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or PathTooLongException)
        {
            throw new SessionStoreException(LockPath, $"Could not open the lock file {LockPath}: {ex.Message} Check that the agent folder exists.", ex);
        }
        catch (IOException ex) when (!IsHeldElsewhere(ex))
        {
            // Not contention (a full disk, a read-only file system, an I/O error): waiting would not help.
            throw new SessionStoreException(LockPath, $"Could not open the lock file {LockPath}: {ex.Message} Check that the agent folder is on a writable, healthy file system.", ex);
        }
        catch (IOException ex)
        {
            contention = ex;
            return OpenResult.HeldElsewhere;
        }
    }

    /// <summary>
    /// Reads the head of the lock file: the owner record (when it names this process, both records are already right, with
    /// the time this process's run of acquisitions began, and need no write) and the commit record.
    /// </summary>
    private static int ReadHead(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] head)
    {
        try
        {
            // One read: a regular file returns everything up to its end (at most 4 KB here).
            return RandomAccess.Read(handle, head, 0);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The commit record in a lock file's head: its first line after the owner record, without white space.</summary>
    private static byte[] CommitRecordIn(ReadOnlySpan<byte> head)
    {
        if (head.Length <= CommitRecordOffset)
        {
            return [];
        }

        var region = head[CommitRecordOffset..];
        var end = region.IndexOf((byte)'\n');
        return (end < 0 ? region : region[..end]).Trim(" \t\r\0"u8).ToArray();
    }

    /// <summary>A waiter marks the wait file's modification time (a unique value) on every poll.</summary>
    private void AnnounceWaiting()
    {
        try
        {
            if (DurableFile.LinkTargetOf(WaitPath) is not null)
            {
                return; // never touch a link's target
            }

            if (!File.Exists(WaitPath))
            {
                using (new FileStream(WaitPath, DurableFile.OpenOptions(FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)))
                {
                }
            }

            var stamp = DateTime.UtcNow.AddTicks(Random.Shared.Next(1, 10_000));
            File.SetLastWriteTimeUtc(WaitPath, stamp);
            Volatile.Write(ref _folderGate.LastAnnouncedTicks, File.GetLastWriteTimeUtc(WaitPath).Ticks);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Fairness is best effort.
        }
    }

    /// <summary>Whether another process announced within <see cref="WaiterFreshness"/> that it waits for the lock.</summary>
    private bool AnotherProcessIsWaiting()
    {
        try
        {
            var announced = File.GetLastWriteTimeUtc(WaitPath);
            return announced.Ticks != Volatile.Read(ref _folderGate.LastAnnouncedTicks)
                && DateTime.UtcNow - announced < WaiterFreshness;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void WriteOwnerRecord(Microsoft.Win32.SafeHandles.SafeFileHandle lockHandle)
    {
        Span<byte> record = stackalloc byte[OwnerRecordBytes];

        var text = string.Create(CultureInfo.InvariantCulture, $"{OwnerRecordPrefix}{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}");
        var length = Encoding.UTF8.GetBytes(text, record);
        record[length..].Fill((byte)' ');
        record[^1] = (byte)'\n';

        // Best effort: the owner record only serves error messages; the OS lock is what protects the files.
        try
        {
            RandomAccess.Write(lockHandle, record, 0);
            if (DurableFile.LinkTargetOf(OwnerPath) is not null)
            {
                return; // never write through a link; the record is only for error messages
            }

            using var owner = new FileStream(OwnerPath, DurableFile.OpenOptions(FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite));
            RandomAccess.Write(owner.SafeFileHandle, record, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private SessionStoreLockTimeoutException Timeout(TimeSpan timeout, Exception inner)
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

        return new SessionStoreLockTimeoutException(LockPath, timeout, pid, host, since, note, inner);
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

    /// <summary>What the threads of this process share per folder: the gate, and the wait-file stamp this process set last.</summary>
    private sealed class FolderGate
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public long LastAnnouncedTicks;
        public long StreakStart;
    }

    /// <summary>The held lock; disposing it releases the lock file, then the in-process gate.</summary>
    public sealed class Held : IDisposable
    {
        private readonly FolderLock _owner;
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
        private FileStream? _stream;

        internal Held(FolderLock owner, FileStream stream, Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] commitRecord)
        {
            _owner = owner;
            _stream = stream;
            _handle = handle;
            CommitRecordAtAcquire = commitRecord;
        }

        public FolderLock Lock => _owner;

        /// <summary>The commit record found when the lock was taken (empty when there was none): what a crashed holder left.</summary>
        public ReadOnlyMemory<byte> CommitRecordAtAcquire { get; }

        /// <summary>Writes the commit record as one line (not flushed: it guards against process crashes); an empty record clears it.</summary>
        public void WriteCommitRecord(ReadOnlySpan<byte> record)
        {
            ObjectDisposedException.ThrowIf(_stream is null, this);
            if (record.Length > CommitRecordBytes - 1 || record.IndexOf((byte)'\n') >= 0)
            {
                throw new InvalidOperationException($"A commit record must be one line of at most {CommitRecordBytes - 1} bytes.");
            }

            Span<byte> line = stackalloc byte[record.Length + 1];
            record.CopyTo(line);
            line[^1] = (byte)'\n';
            RandomAccess.Write(_handle, line, CommitRecordOffset);
        }

        public void Dispose()
        {
            var stream = Interlocked.Exchange(ref _stream, null);
            if (stream is null)
            {
                return;
            }

            try
            {
                stream.Dispose();
            }
            finally
            {
                _owner._gate.Release();
            }
        }
    }
}
