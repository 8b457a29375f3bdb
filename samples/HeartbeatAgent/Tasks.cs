using SessionKinds;

namespace HeartbeatAgent;

/// <summary>Every 30 minutes (the host runs it at the agent's phase): "anything in the inbox worth telling the user?" Most answers are HEARTBEAT_OK.</summary>
[HeartbeatSession(RingSize = 50, Every = "30m")]
public sealed partial class InboxCheck(ScriptedModel model, NaiveMirror naive) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        naive.MirrorAsync(context, model.InboxHeartbeat(context.StartedAt), cancellationToken);
}

/// <summary>Every morning at 07:00 UTC: a short briefing, or nothing when the day is empty.</summary>
[CronSession("0 7 * * *")]
public sealed partial class MorningBrief(ScriptedModel model, NaiveMirror naive) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        naive.MirrorAsync(context, model.MorningBrief(context.StartedAt), cancellationToken);
}

/// <summary>Every 6 hours: tidies stale threads; usually has nothing to say.</summary>
[CronSession("15 */6 * * *")]
public sealed partial class ThreadCleanup(ScriptedModel model, NaiveMirror naive) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        naive.MirrorAsync(context, model.ThreadCleanup(), cancellationToken);
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
