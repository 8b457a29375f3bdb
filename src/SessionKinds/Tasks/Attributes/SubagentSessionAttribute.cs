namespace SessionKinds;

/// <summary>Marks an <see cref="IAgentTask"/> as a subagent session: every reply is persisted for the parent.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SubagentSessionAttribute : Attribute
{
}
