namespace SessionKinds;

/// <summary>
/// A task whose session kind is known at compile time. The SessionKinds generator implements this
/// interface on every <c>partial</c> class that carries a session kind attribute; do not implement it
/// by hand. Stores start sessions of such a task through <c>AgentStore.StartSession&lt;TTask&gt;</c>
/// without reflection, and a task without a kind cannot be passed there.
/// </summary>
public interface ISessionTask
{
    /// <summary>The task's kind and settings, as written in its attribute.</summary>
    static abstract SessionTaskInfo SessionInfo { get; }

    /// <summary>Decides what a reply of this task persists and where (routing table, DESIGN §4).</summary>
    static abstract ReplyRoute Route(string reply);
}

/// <summary>A heartbeat task; its ring writer is <c>HeartbeatRingWriter&lt;TTask&gt;</c>.</summary>
public interface IHeartbeatSessionTask : ISessionTask
{
    /// <summary>The task's heartbeat settings (ring file, ring size, ack limit).</summary>
    static abstract HeartbeatSettings Heartbeat { get; }
}

/// <summary>A scheduled task.</summary>
public interface ICronSessionTask : ISessionTask
{
    /// <summary>The task's schedule, parsed once.</summary>
    static abstract CronSchedule Schedule { get; }
}
