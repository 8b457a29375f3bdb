using SessionKinds;

namespace SessionKinds.WriterProcess;

/// <summary>
/// A heartbeat task whose ring is large enough that no entry written during a crash test ages out, so every
/// reported heartbeat can be found in it. Completed by the SessionKinds generator, like a user's task.
/// </summary>
[HeartbeatSession(RingSize = 10_000, RingFile = "heartbeat-ring-ledger.json")]
public sealed partial class LedgerCheck : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult(new TaskReply(HeartbeatAck.Token));
}

/// <summary>A heartbeat task with a small ring of its own, for the concurrency test (acks only).</summary>
[HeartbeatSession(RingSize = 20, RingFile = "heartbeat-ring-pulse.json")]
public sealed partial class PulseCheck : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult(new TaskReply(HeartbeatAck.Token));
}

/// <summary>A cron task for the crash test: its runs go to the run record, its output to a session.</summary>
[CronSession("0 3 * * *")]
public sealed partial class NightlyReport : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult(new TaskReply(CronReply.NoReplyToken));
}
