using System.Globalization;

namespace SessionKinds;

/// <summary>
/// The store could not be read or written. <see cref="Location"/> names what the failure concerns (a file, a database, a
/// server); the message says what went wrong and what to do. What was saved before the failure is intact.
/// </summary>
public class SessionStoreException : IOException
{
    /// <summary>Creates the exception for <paramref name="location"/>.</summary>
    public SessionStoreException(string location, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Location = location;
    }

    /// <summary>What the failure concerns: a file's full path, or an engine's database or server.</summary>
    public string Location { get; }
}

/// <summary>
/// A store file did not parse (truncated, not JSON, not valid UTF-8, the wrong shape). It was moved aside to
/// <see cref="MovedToPath"/> (<c>&lt;name&gt;.corrupt-&lt;timestamp&gt;</c>) so its bytes survive, and the operation
/// wrote nothing; the next operation starts a new file. Inspect the moved file and merge back what you need.
/// </summary>
public sealed class SessionStoreCorruptFileException : SessionStoreException
{
    /// <summary>Creates the exception.</summary>
    public SessionStoreCorruptFileException(string filePath, string? movedToPath, string problem, Exception? innerException = null)
        : base(filePath, Describe(filePath, movedToPath, problem), innerException)
    {
        MovedToPath = movedToPath;
        Problem = problem;
    }

    /// <summary>Where the unreadable file now is, or <see langword="null"/> when it could not be moved (it is then unchanged in place).</summary>
    public string? MovedToPath { get; }

    /// <summary>Why the file did not parse.</summary>
    public string Problem { get; }

    private static string Describe(string filePath, string? movedToPath, string problem) => movedToPath is null
        ? $"{filePath} is not readable ({problem}). It was left unchanged because it could not be moved aside; nothing was written. " +
          "Repair or remove the file, then retry."
        : $"{filePath} is not readable ({problem}). It was moved aside to {movedToPath} so no data is lost, and nothing was written; " +
          "the next write starts a new file. Inspect the moved file and merge back what you need.";
}

/// <summary>
/// A completion reached its commit point but could not be confirmed as fully applied: in an agent folder a file could not
/// be moved into place after the commit was recorded, and the next writer finishes it; a database engine lost its
/// connection while committing, so the completion may or may not have landed. The session counts as completed —
/// completing the handle again is refused — so nothing is ever written twice; read the store to see what landed.
/// </summary>
public sealed class SessionStoreCommitUnconfirmedException : SessionStoreException
{
    /// <summary>Creates the exception.</summary>
    public SessionStoreCommitUnconfirmedException(string location, string message, Exception? innerException = null)
        : base(location, message, innerException)
    {
    }
}

/// <summary>
/// Another writer kept the store busy longer than the configured timeout (an agent folder's lock:
/// <see cref="FileSessionStoreOptions.LockTimeout"/>). The message names what was locked and, when known, who holds it.
/// </summary>
public sealed class SessionStoreLockTimeoutException : SessionStoreException
{
    /// <summary>Creates the exception.</summary>
    public SessionStoreLockTimeoutException(
        string lockFilePath, TimeSpan timeout, int? ownerProcessId, string? ownerHost, DateTimeOffset? ownerSince, string? note, Exception? innerException)
        : base(lockFilePath, Describe(lockFilePath, timeout, ownerProcessId, ownerHost, ownerSince, note), innerException)
    {
        Timeout = timeout;
        OwnerProcessId = ownerProcessId;
        OwnerHost = ownerHost;
        OwnerSince = ownerSince;
    }

    /// <summary>How long the store waited.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The process id recorded by the lock's holder, when known.</summary>
    public int? OwnerProcessId { get; }

    /// <summary>The host recorded by the lock's holder, when known.</summary>
    public string? OwnerHost { get; }

    /// <summary>When the holder took the lock, when known.</summary>
    public DateTimeOffset? OwnerSince { get; }

    private static string Describe(string path, TimeSpan timeout, int? pid, string? host, DateTimeOffset? since, string? note)
    {
        var owner = pid is null
            ? "an unknown owner"
            : string.Create(CultureInfo.InvariantCulture, $"pid {pid} on {host ?? "an unknown host"}{(since is null ? "" : $" since {since:O}")}");
        var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var detail = note is null ? string.Empty : $" ({note})";
        return $"Timed out after {seconds} s waiting for the agent folder lock {path}, held by {owner}{detail}. " +
            "Another writer is still working on this folder: retry, raise FileSessionStoreOptions.LockTimeout, or stop the process that holds it " +
            "(the operating system releases the lock as soon as that process exits).";
    }
}

/// <summary>
/// A heartbeat ring belongs to another heartbeat task. Two tasks of one agent never overwrite each other's history:
/// give one of them its own ring with <see cref="HeartbeatSessionAttribute.RingFile"/>.
/// </summary>
public sealed class HeartbeatRingOwnershipException : SessionStoreException
{
    /// <summary>Creates the exception; <paramref name="ringLocation"/> is the ring's file path, or its name in a database.</summary>
    public HeartbeatRingOwnershipException(string ringLocation, string ownerTask, string requestingTask)
        : base(ringLocation, Describe(ringLocation, ownerTask, requestingTask))
    {
        OwnerTask = ownerTask;
        RequestingTask = requestingTask;
    }

    /// <summary>The task recorded as the ring's owner.</summary>
    public string OwnerTask { get; }

    /// <summary>The task that tried to write the ring.</summary>
    public string RequestingTask { get; }

    // Sessions started with an explicit SessionKind.Heartbeat cannot choose a ring, so the advice is then for the owner.
    private static string Describe(string ring, string owner, string requesting) =>
        $"The heartbeat ring {ring} belongs to task {owner}, so task {requesting} may not write it (nothing was written). " +
        (requesting == ExplicitHeartbeatOwner
            ? $"Sessions started with an explicit SessionKind.Heartbeat always use the default ring {HeartbeatSessionAttribute.DefaultRingFile}, so give {owner} its own, " +
              $"e.g. [HeartbeatSession(RingFile = \"{AgentFileNameRules.SuggestRingFile(owner)}\")] on {owner}."
            : $"Give one of them its own ring, e.g. [HeartbeatSession(RingFile = \"{AgentFileNameRules.SuggestRingFile(requesting)}\")] on {requesting}.");

    private const string ExplicitHeartbeatOwner = "SessionKind.Heartbeat";
}
