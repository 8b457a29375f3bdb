using System.Collections.Concurrent;
using SessionKinds;

namespace SessionKinds.Hosting.Tests.Infrastructure;

/// <summary>
/// What the test tasks do, set per task type by a test: by default a heartbeat acks and a cron job answers with output
/// naming its session key. Every run is recorded (task, session key, start time on the host's clock).
/// </summary>
public sealed class TaskBehavior
{
    private readonly ConcurrentDictionary<Type, Func<TaskContext, CancellationToken, ValueTask<TaskReply>>> _behaviors = new();

    public ConcurrentQueue<(Type Task, string Key, DateTimeOffset StartedAt)> Runs { get; } = new();

    public void Set<TTask>(Func<TaskContext, CancellationToken, ValueTask<TaskReply>> behavior) => _behaviors[typeof(TTask)] = behavior;

    public void Set(Type task, Func<TaskContext, CancellationToken, ValueTask<TaskReply>> behavior) => _behaviors[task] = behavior;

    public IReadOnlyList<DateTimeOffset> StartsOf<TTask>() => [.. Runs.Where(r => r.Task == typeof(TTask)).Select(r => r.StartedAt)];

    internal ValueTask<TaskReply> RunAsync(IAgentTask task, TaskContext context, CancellationToken cancellationToken)
    {
        Runs.Enqueue((task.GetType(), context.SessionKey, context.StartedAt));
        return _behaviors.TryGetValue(task.GetType(), out var behavior)
            ? behavior(context, cancellationToken)
            : new(new TaskReply(context.Kind == SessionKind.Heartbeat ? "HEARTBEAT_OK" : "ran " + context.SessionKey));
    }
}
