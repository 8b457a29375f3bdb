namespace SessionKinds.Generators;

/// <summary>Metadata names of the runtime types the generator and analyzers look for (no typeof: the runtime is not referenced).</summary>
internal static class TypeNames
{
    public const string Namespace = "SessionKinds";

    public const string UserSessionAttribute = "SessionKinds.UserSessionAttribute";
    public const string HeartbeatSessionAttribute = "SessionKinds.HeartbeatSessionAttribute";
    public const string CronSessionAttribute = "SessionKinds.CronSessionAttribute";
    public const string SubagentSessionAttribute = "SessionKinds.SubagentSessionAttribute";

    public const string AgentTask = "SessionKinds.IAgentTask";
    public const string SessionTask = "SessionKinds.ISessionTask";
    public const string SessionKind = "SessionKinds.SessionKind";
}
