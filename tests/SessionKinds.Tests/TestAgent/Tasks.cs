using SessionKinds;

namespace TestAgent;

// The tasks of a small agent, written as a user writes them: attributed partial classes that the SessionKinds generator
// completes (kind, route, heartbeat ring writer, registry). Their names ("TestAgent.InboxCheck", …) are what the store
// records as ring owners, heartbeat-state tasks and cron run tasks.

#pragma warning disable SKND0008 // InboxCheck and CalendarCheck share the default ring on purpose: the analyzer rejects that at build time, and the tests prove the store refuses it too.

/// <summary>A heartbeat task with a ring of 50 on the default ring.</summary>
[HeartbeatSession(RingSize = 50)]
public sealed partial class InboxCheck : IAgentTask
{
    public Func<TaskContext, TaskReply> Answer { get; init; } = _ => HeartbeatAck.Token;

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(Answer(context));
}

/// <summary>A second heartbeat task that (wrongly) shares the default ring with <see cref="InboxCheck"/>.</summary>
[HeartbeatSession(RingSize = 20)]
public sealed partial class CalendarCheck : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(HeartbeatAck.Token));
}

#pragma warning restore SKND0008

/// <summary>A heartbeat task with its own small ring and a small ack limit.</summary>
[HeartbeatSession(RingSize = 5, AckMaxChars = 20, RingFile = "heartbeat-ring-disk.json")]
public sealed partial class DiskCheck : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(HeartbeatAck.Token));
}

/// <summary>A daily cron task.</summary>
[CronSession("0 7 * * *")]
public sealed partial class MorningBrief : IAgentTask
{
    public Func<TaskContext, CancellationToken, ValueTask<TaskReply>> Answer { get; init; } = (_, _) => new(new TaskReply(CronReply.NoReplyToken));

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => Answer(context, cancellationToken);
}

/// <summary>A frequent cron task, whose many runs must never push <see cref="MorningBrief"/>'s out of the run record.</summary>
[CronSession("*/5 * * * *")]
public sealed partial class QueuePoll : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(string.Empty));
}

/// <summary>A user chat turn.</summary>
[UserSession]
public sealed partial class ChatTurn : IAgentTask
{
    public Func<TaskContext, TaskReply> Answer { get; init; } = context => $"You said: {context.Prompt}";

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(Answer(context));
}

/// <summary>A subagent.</summary>
[SubagentSession]
public sealed partial class Research : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply("Findings: three sources agree."));
}
