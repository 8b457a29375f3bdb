namespace SessionKinds;

/// <summary>Marks an <see cref="IAgentTask"/> as a user chat session: every reply is persisted.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class UserSessionAttribute : Attribute
{
}
