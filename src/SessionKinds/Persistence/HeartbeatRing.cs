namespace SessionKinds;

/// <summary>The result of one heartbeat run, as recorded in a ring.</summary>
public enum HeartbeatResult
{
    /// <summary>An acknowledgement (<c>"ok"</c>).</summary>
    Ok = 0,

    /// <summary>An alert (<c>"alert"</c>).</summary>
    Alert = 1,
}

/// <summary>One ring entry.</summary>
/// <param name="Timestamp">When the run completed, to the second (rings store epoch seconds).</param>
/// <param name="Result">Ack or alert.</param>
/// <param name="Summary">A short summary (empty for a bare ack).</param>
public sealed record HeartbeatRingEntry(DateTimeOffset Timestamp, HeartbeatResult Result, string Summary);

/// <summary>A heartbeat ring, as read. A ring nothing has written yet reads as empty with <see cref="MaxEntries"/> 0.</summary>
/// <param name="RingFile">The ring's name: its <see cref="HeartbeatSettings.RingFile"/> (the file name in an agent folder).</param>
/// <param name="MaxEntries">The ring's capacity.</param>
/// <param name="Task">The task that owns the ring, when recorded.</param>
/// <param name="Entries">The entries, oldest first, never more than <paramref name="MaxEntries"/>.</param>
public sealed record HeartbeatRing(string RingFile, int MaxEntries, string? Task, IReadOnlyList<HeartbeatRingEntry> Entries);
