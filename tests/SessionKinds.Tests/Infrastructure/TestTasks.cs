namespace SessionKinds.Tests.Infrastructure;

// Hand-written exactly as the SessionKinds generator completes attributed task classes, so the typed paths are
// tested without the generator.

/// <summary>A heartbeat task with a ring of 50 on the default ring file.</summary>
public sealed class InboxCheck : IAgentTask, IHeartbeatSessionTask
{
    public Func<TaskContext, string> Answer { get; init; } = _ => HeartbeatAck.Token;

    public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 50, AckMaxChars: 300, RingFile: "heartbeat-ring.json");

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.InboxCheck", SessionKind.Heartbeat, Heartbeat);

    public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(Answer(context)));
}

/// <summary>A second heartbeat task that (wrongly) shares the default ring file.</summary>
public sealed class CalendarCheck : IAgentTask, IHeartbeatSessionTask
{
    public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 20, AckMaxChars: 300, RingFile: "heartbeat-ring.json");

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.CalendarCheck", SessionKind.Heartbeat, Heartbeat);

    public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(HeartbeatAck.Token));
}

/// <summary>A heartbeat task with its own small ring file.</summary>
public sealed class DiskCheck : IAgentTask, IHeartbeatSessionTask
{
    public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 5, AckMaxChars: 20, RingFile: "heartbeat-ring-disk.json");

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.DiskCheck", SessionKind.Heartbeat, Heartbeat);

    public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(HeartbeatAck.Token));
}

/// <summary>DiskCheck after a code change: same task name and ring file, RingSize lowered from 5 to 3.</summary>
public sealed class DiskCheckSmallerRing : IAgentTask, IHeartbeatSessionTask
{
    public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 3, AckMaxChars: 20, RingFile: "heartbeat-ring-disk.json");

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.DiskCheck", SessionKind.Heartbeat, Heartbeat);

    public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(HeartbeatAck.Token));
}

/// <summary>A heartbeat task whose generated settings are out of range (the analyzer reports SKND0006; the runtime refuses too).</summary>
public sealed class BrokenRingTask : IAgentTask, IHeartbeatSessionTask
{
    public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 50, AckMaxChars: 300, RingFile: "../escape.json");

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.BrokenRingTask", SessionKind.Heartbeat, Heartbeat);

    public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(HeartbeatAck.Token));
}

public sealed class MorningBrief : IAgentTask, ICronSessionTask
{
    public Func<TaskContext, string> Answer { get; init; } = _ => CronReply.NoReplyToken;

    public static CronSchedule Schedule { get; } = CronSchedule.Parse("0 7 * * *");

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.MorningBrief", SessionKind.Cron, cronSchedule: "0 7 * * *");

    public static ReplyRoute Route(string reply) => SessionRoutes.Cron(reply);

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(Answer(context)));
}

public sealed class ChatTurn : IAgentTask, ISessionTask
{
    public Func<TaskContext, string> Answer { get; init; } = context => $"You said: {context.Prompt}";

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.ChatTurn", SessionKind.User);

    public static ReplyRoute Route(string reply) => SessionRoutes.User(reply);

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(Answer(context)));
}

public sealed class Research : IAgentTask, ISessionTask
{
    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.Research", SessionKind.Subagent);

    public static ReplyRoute Route(string reply) => SessionRoutes.Subagent(reply);

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply("Findings: three sources agree."));
}
