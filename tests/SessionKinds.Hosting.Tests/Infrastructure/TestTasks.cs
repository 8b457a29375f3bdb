using SessionKinds;

namespace SessionKinds.Hosting.Tests.Infrastructure;

/// <summary>Every 30 minutes, all day, UTC; what it does is up to the test (<see cref="TaskBehavior"/>).</summary>
[HeartbeatSession(RingFile = "probe-ring.json")]
public sealed partial class ProbeHeartbeat(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        behavior.RunAsync(this, context, cancellationToken);
}

/// <summary>Every 30 minutes from 08:00 to 22:00 in Berlin.</summary>
[HeartbeatSession(Every = "30m", ActiveHours = "08:00-22:00", TimeZone = "Europe/Berlin", RingFile = "office-ring.json")]
public sealed partial class OfficeHeartbeat(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        behavior.RunAsync(this, context, cancellationToken);
}

/// <summary>Every 30 minutes between 02:00 and 03:00 in Berlin: the hour the spring change skips.</summary>
[HeartbeatSession(Every = "30m", ActiveHours = "02:00-03:00", TimeZone = "Europe/Berlin", RingFile = "night-ring.json")]
public sealed partial class NightHeartbeat(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        behavior.RunAsync(this, context, cancellationToken);
}

/// <summary>Every hour on the hour, UTC.</summary>
[CronSession("0 * * * *")]
public sealed partial class HourlyJob(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        behavior.RunAsync(this, context, cancellationToken);
}

/// <summary>Every minute, UTC (the multi-node tests).</summary>
[CronSession("* * * * *")]
public sealed partial class MinuteJob(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        behavior.RunAsync(this, context, cancellationToken);
}

/// <summary>At 02:30 in Berlin: inside the hour the spring change skips and the autumn change repeats.</summary>
[CronSession("30 2 * * *", TimeZone = "Europe/Berlin")]
public sealed partial class BerlinNightly(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) =>
        behavior.RunAsync(this, context, cancellationToken);
}

/// <summary>A task whose constructor needs a service nobody registers.</summary>
[CronSession("15 * * * *")]
public sealed partial class NeedsMissingService(IMissingService missing) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(missing.ToString()));
}

public interface IMissingService
{
}

/// <summary>A user task: the host never schedules it.</summary>
[UserSession]
public sealed partial class ChatTurn : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply("hi"));
}
