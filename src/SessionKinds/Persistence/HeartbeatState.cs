namespace SessionKinds;

/// <summary>The heartbeat state of an agent (<c>heartbeat-state.json</c> in an agent folder). No heartbeat yet reads as empty figures.</summary>
/// <param name="LastAck">When the last acknowledgement was recorded.</param>
/// <param name="ConsecutiveOks">Acknowledgements since the last alert (<c>consecutiveOKs</c>).</param>
/// <param name="LastAlert">When the last alert was recorded.</param>
/// <param name="LastAlertSummary">The summary of the last alert.</param>
/// <param name="Tasks">
/// The same figures per heartbeat task, by task name (sessions started with an explicit <see cref="SessionKind.Heartbeat"/>
/// count under <c>SessionKind.Heartbeat</c>).
/// </param>
public sealed record HeartbeatState(
    DateTimeOffset? LastAck,
    int ConsecutiveOks,
    DateTimeOffset? LastAlert,
    string? LastAlertSummary,
    IReadOnlyDictionary<string, HeartbeatTaskState> Tasks);

/// <summary>The heartbeat figures of one task.</summary>
/// <param name="LastAck">When the task's last acknowledgement was recorded.</param>
/// <param name="ConsecutiveOks">The task's acknowledgements since its last alert.</param>
/// <param name="LastAlert">When the task's last alert was recorded.</param>
public sealed record HeartbeatTaskState(DateTimeOffset? LastAck, int ConsecutiveOks, DateTimeOffset? LastAlert);
