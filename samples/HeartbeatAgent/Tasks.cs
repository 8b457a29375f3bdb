using SessionKinds;

namespace HeartbeatAgent;

/// <summary>Every 30 minutes: "anything in the inbox worth telling the user?" Most answers are HEARTBEAT_OK.</summary>
[HeartbeatSession(RingSize = 50)]
public sealed partial class InboxCheck(ScriptedModel model) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<TaskReply>(model.InboxHeartbeat(context.StartedAt));
}

/// <summary>Every morning at 07:00 UTC: a short briefing, or nothing when the day is empty.</summary>
[CronSession("0 7 * * *")]
public sealed partial class MorningBrief(ScriptedModel model) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<TaskReply>(model.MorningBrief(context.StartedAt));
}

/// <summary>Every 6 hours: tidies stale threads; usually has nothing to say.</summary>
[CronSession("15 */6 * * *")]
public sealed partial class ThreadCleanup(ScriptedModel model) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<TaskReply>(model.ThreadCleanup());
}

/// <summary>One turn of the user's chat.</summary>
[UserSession]
public sealed partial class ChatTurn(ScriptedModel model) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<TaskReply>(model.ChatAnswer(context.Prompt));
}

/// <summary>A research job a chat turn hands off; the parent needs its result.</summary>
[SubagentSession]
public sealed partial class Research(ScriptedModel model) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<TaskReply>(model.ResearchReport(context.Prompt));
}
