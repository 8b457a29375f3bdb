using SessionKinds;

namespace SessionKinds.WriterProcess;

/// <summary>
/// A heartbeat task whose ring is large enough that no entry written during a crash test ages out, so every
/// reported heartbeat can be found in it. Completed by the SessionKinds generator, like a user's task.
/// </summary>
[HeartbeatSession(RingSize = 10_000, RingFile = "heartbeat-ring-ledger.json")]
public sealed partial class LedgerCheck : IAgentTask
{
    private string _reply = HeartbeatAck.Token;

    /// <summary>Sets the reply of the next run and returns the task.</summary>
    public LedgerCheck Next(string reply)
    {
        _reply = reply;
        return this;
    }

    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult(new TaskReply(_reply));
}

/// <summary>A heartbeat task with a small ring of its own, for the concurrency test (acks only).</summary>
[HeartbeatSession(RingSize = 20, RingFile = "heartbeat-ring-pulse.json")]
public sealed partial class PulseCheck : IAgentTask
{
    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult(new TaskReply(HeartbeatAck.Token));
}

/// <summary>The texts the mixed mode writes, each carrying the write's unique tag so a test can find it on disk.</summary>
public static class WriterReplies
{
    /// <summary>What a mixed-mode write does, in the order the seeded random picks from.</summary>
    public static readonly string[] What = ["user", "subagent", "ledger-alert", "ledger-ack", "explicit-ack"];

    public static string Prompt(string tag) => $"prompt {tag}";

    /// <summary>The reply of a user or subagent session.</summary>
    public static string Conversation(string tag) => $"reply {tag}";

    /// <summary>A heartbeat alert; its ring summary and transcript line are this text.</summary>
    public static string Alert(string tag) => $"Alert {tag}: the disk is almost full";

    /// <summary>A heartbeat ack with a note; the ring entry's summary is the tag.</summary>
    public static string Ack(string tag) => $"{HeartbeatAck.Token} {tag}";
}
