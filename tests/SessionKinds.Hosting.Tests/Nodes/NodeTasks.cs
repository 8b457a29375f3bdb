using SessionKinds.Hosting.Tests.Infrastructure;

namespace SessionKinds.Hosting.Tests.Nodes;

// Five jobs of one minute each for the multi-process test: 5 × 40 simulated minutes = 200 occurrences.

[CronSession("* * * * *")]
public sealed partial class ShardA(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => behavior.RunAsync(this, context, cancellationToken);
}

[CronSession("* * * * *")]
public sealed partial class ShardB(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => behavior.RunAsync(this, context, cancellationToken);
}

[CronSession("* * * * *")]
public sealed partial class ShardC(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => behavior.RunAsync(this, context, cancellationToken);
}

[CronSession("* * * * *")]
public sealed partial class ShardD(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => behavior.RunAsync(this, context, cancellationToken);
}

[CronSession("* * * * *")]
public sealed partial class ShardE(TaskBehavior behavior) : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => behavior.RunAsync(this, context, cancellationToken);
}
