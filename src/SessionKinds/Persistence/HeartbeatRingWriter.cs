namespace SessionKinds;

/// <summary>
/// Writes and reads the ring of heartbeat task <typeparamref name="TTask"/>, bound to its
/// <see cref="HeartbeatSettings.RingFile"/> and <see cref="HeartbeatSettings.RingSize"/>. Obtain it from the task's
/// generated <c>OpenHeartbeatRing(store)</c> or <see cref="SessionStore.HeartbeatRing{TTask}"/>. Completing a heartbeat
/// session already appends to the ring; use this to record results of runs that do not go through a session, or to read
/// the history.
/// </summary>
/// <typeparam name="TTask">The heartbeat task.</typeparam>
public sealed class HeartbeatRingWriter<TTask>
    where TTask : IHeartbeatSessionTask
{
    private readonly SessionStore _store;

    internal HeartbeatRingWriter(SessionStore store, string taskName, HeartbeatSettings settings)
    {
        _store = store;
        TaskName = taskName;
        RingFile = settings.RingFile;
        RingSize = settings.RingSize;
    }

    /// <summary>The task that owns the ring.</summary>
    public string TaskName { get; }

    /// <summary>The ring's name (the file name in an agent folder).</summary>
    public string RingFile { get; }

    /// <summary>How many entries the ring keeps.</summary>
    public int RingSize { get; }

    /// <summary>Appends an <c>ok</c> entry stamped with the store's clock.</summary>
    /// <exception cref="HeartbeatRingOwnershipException">The ring belongs to another task; nothing was written.</exception>
    public ValueTask<HeartbeatRingEntry> AppendOkAsync(string? summary = null, CancellationToken cancellationToken = default) =>
        _store.AppendRingAsync(TaskName, RingFile, RingSize, HeartbeatResult.Ok, summary, cancellationToken);

    /// <summary>Appends an <c>alert</c> entry; the summary is shortened to <see cref="SessionRoutes.SummaryMaxChars"/> characters.</summary>
    /// <exception cref="HeartbeatRingOwnershipException">The ring belongs to another task; nothing was written.</exception>
    public ValueTask<HeartbeatRingEntry> AppendAlertAsync(string summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return _store.AppendRingAsync(TaskName, RingFile, RingSize, HeartbeatResult.Alert, summary, cancellationToken);
    }

    /// <summary>Reads the ring (entries oldest first).</summary>
    public ValueTask<HeartbeatRing> ReadAsync(CancellationToken cancellationToken = default) => _store.ReadHeartbeatRingAsync(RingFile, cancellationToken);
}
