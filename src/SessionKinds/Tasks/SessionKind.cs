namespace SessionKinds;

/// <summary>The kind of an agent session; it decides what a session persists and where.</summary>
/// <remarks>On disk a kind is the lower-case string <c>user</c>, <c>heartbeat</c>, <c>cron</c> or <c>subagent</c>.</remarks>
public enum SessionKind
{
    /// <summary>No kind: never valid for a session (SKND0002 at compile time, an exception at run time).</summary>
    Unspecified = 0,

    /// <summary>A user chatting with the agent; always persisted.</summary>
    User = 1,

    /// <summary>A periodic "anything to report?" run; acknowledgements are not persisted.</summary>
    Heartbeat = 2,

    /// <summary>A scheduled job; silent runs are not persisted.</summary>
    Cron = 3,

    /// <summary>A session spawned by another session; always persisted so the parent gets the result.</summary>
    Subagent = 4,
}
