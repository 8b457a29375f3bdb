namespace SessionKinds.Hosting;

/// <summary>
/// How the host runs the scheduled tasks of one agent. Bound from the configuration section <c>SessionKinds</c> (when
/// the host has configuration), then from the delegate passed to <c>AddSessionKinds</c>; validated when the host starts.
/// </summary>
public sealed class SessionKindsOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "SessionKinds";

    /// <summary>The default <see cref="AgentId"/>, the gateway's default agent.</summary>
    public const string DefaultAgentId = "main";

    /// <summary>
    /// The agent whose tasks this host runs (default <c>main</c>): 1 to 64 letters, digits, <c>-</c> or <c>_</c>. It names
    /// the sessions (<c>agent:&lt;id&gt;:…</c>) and sets the phase of the heartbeat slots.
    /// </summary>
    public string AgentId { get; set; } = DefaultAgentId;

    /// <summary>
    /// This host's name in occurrence claims; unique among the nodes sharing a store. Default <c>&lt;machine&gt;/&lt;process id&gt;</c>.
    /// A node restarted with the same id resumes its own claims instead of waiting for their leases to run out.
    /// </summary>
    public string NodeId { get; set; } = Environment.MachineName + "/" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether this host runs scheduled tasks at all (default <see langword="true"/>); a node that only serves chats sets <see langword="false"/>.</summary>
    public bool RunScheduledTasks { get; set; } = true;

    /// <summary>
    /// How long a claim on an occurrence holds without renewal (default 1 minute, 5 seconds to 1 hour). A running host renews
    /// its claims every third of this, so a long run is never taken over while its host lives; when a host dies, another
    /// takes its occurrence over once the lease has run out.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How far back the host looks at start-up for an occurrence missed while it was down (default 1 day; zero turns
    /// catch-up off). Only the latest missed occurrence of each task runs, once; a heartbeat catches up only its current
    /// slot, inside its active hours. Keep it shorter than the store's <c>OccurrenceRetention</c>.
    /// </summary>
    public TimeSpan CatchUpWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The prompt of every heartbeat run (the gateway's default heartbeat prompt unless set).</summary>
    public string HeartbeatPrompt { get; set; } = DefaultHeartbeatPrompt;

    /// <summary>The gateway's default heartbeat prompt.</summary>
    public const string DefaultHeartbeatPrompt = "Read HEARTBEAT.md if it exists (workspace context). Follow it strictly. Do not infer or repeat old tasks from prior chats. If nothing needs attention, reply HEARTBEAT_OK.";
}
