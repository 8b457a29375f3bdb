namespace SessionKinds;

/// <summary>
/// Marks an <see cref="IAgentTask"/> as a heartbeat session. A reply that is only an acknowledgement
/// (<c>HEARTBEAT_OK</c>) is never written to <c>sessions.json</c> or a transcript: it updates
/// <c>heartbeat-state.json</c> and adds an <c>ok</c> entry to the task's ring file.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class HeartbeatSessionAttribute : Attribute
{
    /// <summary>The default <see cref="RingSize"/>.</summary>
    public const int DefaultRingSize = AgentFileNameRules.DefaultRingSize;

    /// <summary>The default <see cref="AckMaxChars"/>.</summary>
    public const int DefaultAckMaxChars = AgentFileNameRules.DefaultAckMaxChars;

    /// <summary>The default <see cref="RingFile"/>.</summary>
    public const string DefaultRingFile = AgentFileNameRules.DefaultRingFile;

    /// <summary>How many heartbeat results the ring file keeps (1..10000, default 50); the oldest fall out first.</summary>
    public int RingSize { get; set; } = DefaultRingSize;

    /// <summary>
    /// How much text may remain beside <c>HEARTBEAT_OK</c> for the reply to still count as an
    /// acknowledgement (0 or more, default 300). Longer replies are alerts and are persisted.
    /// </summary>
    public int AckMaxChars { get; set; } = DefaultAckMaxChars;

    /// <summary>
    /// The ring file of this task inside the agent folder (default <c>heartbeat-ring.json</c>).
    /// Two heartbeat tasks of one agent need different ring files (SKND0008).
    /// </summary>
    public string RingFile { get; set; } = DefaultRingFile;
}
