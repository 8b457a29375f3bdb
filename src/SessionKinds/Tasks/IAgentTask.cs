namespace SessionKinds;

/// <summary>
/// An agent task: one run of the model for a session. Every non-abstract implementation carries exactly
/// one session kind attribute (<see cref="UserSessionAttribute"/>, <see cref="HeartbeatSessionAttribute"/>,
/// <see cref="CronSessionAttribute"/> or <see cref="SubagentSessionAttribute"/>) and is <c>partial</c>, so
/// that the SessionKinds generator can complete it (SKND0001, SKND0004).
/// </summary>
public interface IAgentTask
{
    /// <summary>Runs the task once and returns the model's reply.</summary>
    ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken);
}
