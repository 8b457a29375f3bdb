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

    /// <summary>The default <see cref="Every"/>: every 30 minutes.</summary>
    public const string DefaultEvery = ScheduleRules.DefaultEvery;

    /// <summary>The default <see cref="TimeZone"/>.</summary>
    public const string DefaultTimeZone = ScheduleRules.DefaultTimeZone;

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

    /// <summary>
    /// How often a host runs the heartbeat: a duration of one or more parts <c>&lt;number&gt;&lt;unit&gt;</c> with the units
    /// <c>s</c>, <c>m</c>, <c>h</c> and <c>d</c> (<c>"30m"</c>, <c>"1h"</c>, <c>"90s"</c>, <c>"1h30m"</c>); a bare number is
    /// minutes; <c>"0m"</c> disables the heartbeat; otherwise from 10 seconds to 7 days. Default <c>"30m"</c>. Checked at
    /// compile time (SKND0012). The slots are phase-aligned per agent: a host runs them at the same instants after a restart.
    /// </summary>
    public string Every { get; set; } = DefaultEvery;

    /// <summary>
    /// When the heartbeat may run, as <c>HH:MM-HH:MM</c> in <see cref="TimeZone"/> (default: all day): the start is
    /// inclusive and the end exclusive, <c>24:00</c> is allowed as the end, a window may wrap midnight
    /// (<c>"22:00-06:00"</c>), and a window whose start equals its end never opens (SKND0015). Slots outside the window are
    /// not run. Checked at compile time (SKND0013).
    /// </summary>
    public string? ActiveHours { get; set; }

    /// <summary>The IANA time zone of <see cref="ActiveHours"/>, e.g. <c>"Europe/Berlin"</c>; default <c>"UTC"</c>. Checked at compile time (SKND0014) and when the host starts.</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;
}
