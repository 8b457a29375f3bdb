using SessionKinds.Internal;

namespace SessionKinds;

/// <summary>
/// Writes and reads the ring file of heartbeat task <typeparamref name="TTask"/>, bound to its
/// <see cref="HeartbeatSettings.RingFile"/> and <see cref="HeartbeatSettings.RingSize"/>. Obtain it from
/// <see cref="AgentStore.HeartbeatRing{TTask}"/>. Completing a heartbeat session already appends to the ring;
/// use this to record results of runs that do not go through a session, or to read the history.
/// </summary>
/// <typeparam name="TTask">The heartbeat task.</typeparam>
public sealed class HeartbeatRingWriter<TTask>
    where TTask : IHeartbeatSessionTask
{
    private readonly AgentStore _store;

    internal HeartbeatRingWriter(AgentStore store, string taskName, HeartbeatSettings settings)
    {
        _store = store;
        TaskName = taskName;
        RingFile = settings.RingFile;
        RingSize = settings.RingSize;
        RingPath = Path.Combine(store.Folder, settings.RingFile);
    }

    /// <summary>The task that owns the ring.</summary>
    public string TaskName { get; }

    /// <summary>The ring file name inside the agent folder.</summary>
    public string RingFile { get; }

    /// <summary>The ring file's full path.</summary>
    public string RingPath { get; }

    /// <summary>How many entries the ring keeps.</summary>
    public int RingSize { get; }

    /// <summary>Appends an <c>ok</c> entry stamped with the store's clock.</summary>
    /// <exception cref="HeartbeatRingOwnershipException">The ring file belongs to another task.</exception>
    public HeartbeatRingEntry AppendOk(string? summary = null) => _store.AppendRing(TaskName, RingFile, RingSize, HeartbeatResult.Ok, summary);

    /// <summary>Appends an <c>alert</c> entry; the summary is shortened to <see cref="SessionRoutes.SummaryMaxChars"/>.</summary>
    /// <exception cref="HeartbeatRingOwnershipException">The ring file belongs to another task.</exception>
    public HeartbeatRingEntry AppendAlert(string summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return _store.AppendRing(TaskName, RingFile, RingSize, HeartbeatResult.Alert, summary);
    }

    /// <summary>Reads the ring (entries oldest first).</summary>
    public HeartbeatRing Read() => _store.ReadHeartbeatRing(RingFile);

    /// <summary>Reads the ring's entries, oldest first.</summary>
    public IReadOnlyList<HeartbeatRingEntry> ReadEntries() => Read().Entries;
}
