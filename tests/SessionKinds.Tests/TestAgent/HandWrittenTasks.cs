using SessionKinds;

namespace TestAgent;

// Hand-written ISessionTask implementations, only where the generator cannot produce what a test needs: a task the
// analyzers reject (the runtime must refuse it too), or a second version of a task in the same compilation. They copy
// what the generator emits. Using them as a type argument is SKND0002 (a class without a kind attribute), so each use
// site suppresses it with `#pragma warning disable SKND0002` and says why.

/// <summary>
/// <see cref="DiskCheck"/> after a code change that lowered its RingSize from 5 to 3: the same task name and ring. One
/// compilation cannot hold two versions of one attributed class.
/// </summary>
public sealed class DiskCheckAfterUpgrade : IHeartbeatSessionTask
{
    public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 3, AckMaxChars: 20, RingFile: "heartbeat-ring-disk.json");

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.DiskCheck", SessionKind.Heartbeat, Heartbeat);

    public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);
}

/// <summary>A heartbeat task whose ring file escapes the agent folder (the analyzer reports SKND0006; the runtime refuses it).</summary>
public sealed class BrokenRingTask : IHeartbeatSessionTask
{
    public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 50, AckMaxChars: 300, RingFile: "../escape.json");

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.BrokenRingTask", SessionKind.Heartbeat, Heartbeat);

    public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);
}

/// <summary>A heartbeat task whose ring size is out of range (SKND0006 at build time).</summary>
public sealed class HugeRingTask : IHeartbeatSessionTask
{
    public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 10_001, AckMaxChars: 300, RingFile: "heartbeat-ring-huge.json");

    public static SessionTaskInfo SessionInfo { get; } = new("TestAgent.HugeRingTask", SessionKind.Heartbeat, Heartbeat);

    public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);
}

/// <summary>The name of a ring file, as a type, so one generic stand-in covers many bad names.</summary>
public interface IRingFileName
{
    static abstract string Value { get; }
}

/// <summary>A heartbeat task whose ring file name comes from <typeparamref name="TName"/> (SKND0006 and SKND0009 at build time).</summary>
public sealed class RingTask<TName> : IHeartbeatSessionTask
    where TName : IRingFileName
{
    public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 50, AckMaxChars: 300, RingFile: TName.Value);

    public static SessionTaskInfo SessionInfo { get; } = new($"TestAgent.RingTask<{typeof(TName).Name}>", SessionKind.Heartbeat, Heartbeat);

    public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);
}
