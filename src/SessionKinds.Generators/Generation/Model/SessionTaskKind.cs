namespace SessionKinds.Generators.Generation.Model;

/// <summary>The session kind of a task; the values mirror <c>SessionKinds.SessionKind</c> (the runtime is not referenced here).</summary>
internal enum SessionTaskKind
{
    User = 1,
    Heartbeat = 2,
    Cron = 3,
    Subagent = 4,
}
