using System.Globalization;

namespace SessionKinds;

/// <summary>
/// A file in the agent folder could not be read or written. <see cref="FilePath"/> names the file; the message
/// says what went wrong and what to do. Files written before the failure are intact.
/// </summary>
public class AgentStoreException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public AgentStoreException(string filePath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The full path of the file the failure concerns.</summary>
    public string FilePath { get; }
}

/// <summary>
/// A store file did not parse (truncated, not JSON, not valid UTF-8, the wrong shape). It was moved aside to
/// <see cref="MovedToPath"/> (<c>&lt;name&gt;.corrupt-&lt;timestamp&gt;</c>) so its bytes survive, and the operation
/// wrote nothing; the next operation starts a new file. Inspect the moved file and merge back what you need.
/// </summary>
public sealed class AgentStoreCorruptFileException : AgentStoreException
{
    /// <summary>Creates the exception.</summary>
    public AgentStoreCorruptFileException(string filePath, string? movedToPath, string problem, Exception? innerException = null)
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
/// The agent folder's lock was not acquired within <see cref="AgentStoreOptions.LockTimeout"/>. The message names
/// the lock file and, when known, the process that holds it.
/// </summary>
public sealed class AgentStoreLockTimeoutException : AgentStoreException
{
    /// <summary>Creates the exception.</summary>
    public AgentStoreLockTimeoutException(
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
            "Another writer is still working on this folder: retry, raise AgentStoreOptions.LockTimeout, or stop the process that holds it " +
            "(the operating system releases the lock as soon as that process exits).";
    }
}

/// <summary>
/// A heartbeat ring file belongs to another heartbeat task. Two tasks of one agent never overwrite each other's
/// history: give one of them its own file with <see cref="HeartbeatSessionAttribute.RingFile"/>.
/// </summary>
public sealed class HeartbeatRingOwnershipException : AgentStoreException
{
    /// <summary>Creates the exception.</summary>
    public HeartbeatRingOwnershipException(string ringFilePath, string ownerTask, string requestingTask)
        : base(ringFilePath, Describe(ringFilePath, ownerTask, requestingTask))
    {
        OwnerTask = ownerTask;
        RequestingTask = requestingTask;
    }

    /// <summary>The task recorded as the ring's owner.</summary>
    public string OwnerTask { get; }

    /// <summary>The task that tried to write the ring.</summary>
    public string RequestingTask { get; }

    private static string Describe(string path, string owner, string requesting) =>
        $"The heartbeat ring {path} belongs to task {owner}, so task {requesting} may not write it (nothing was written). " +
        $"Give one of them its own ring file, e.g. [HeartbeatSession(RingFile = \"{SuggestFileName(requesting)}\")] on {requesting}" +
        (requesting == HeartbeatRingNames.ExplicitKindOwner
            ? $" (sessions started with an explicit SessionKind.Heartbeat use the default ring file {HeartbeatSessionAttribute.DefaultRingFile}, so set RingFile on {owner} instead)."
            : ".");

    private static string SuggestFileName(string task)
    {
        var simple = task[(task.LastIndexOf('.') + 1)..];
        var chars = simple.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray();
        return chars.Length == 0 ? "heartbeat-ring-2.json" : $"heartbeat-ring-{new string(chars)}.json";
    }
}

/// <summary>Names used by heartbeat rings.</summary>
public static class HeartbeatRingNames
{
    /// <summary>
    /// The owner recorded in a ring written by sessions started with an explicit <see cref="SessionKind.Heartbeat"/>
    /// (which use the default settings and the default ring file).
    /// </summary>
    public const string ExplicitKindOwner = "SessionKind.Heartbeat";
}
