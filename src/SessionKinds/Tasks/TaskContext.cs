namespace SessionKinds;

/// <summary>What a task knows about the session it runs in.</summary>
public sealed class TaskContext
{
    /// <summary>Creates a context; the store creates one per run.</summary>
    public TaskContext(string sessionKey, string sessionId, SessionKind kind, DateTimeOffset startedAt, string? prompt, TimeProvider time)
    {
        SessionKey = sessionKey;
        SessionId = sessionId;
        Kind = kind;
        StartedAt = startedAt;
        Prompt = prompt;
        Time = time;
    }

    /// <summary>The session key (the property name in <c>sessions.json</c>).</summary>
    public string SessionKey { get; }

    /// <summary>The session id (a UUID; the transcript is <c>&lt;id&gt;.jsonl</c>).</summary>
    public string SessionId { get; }

    /// <summary>The kind of the session.</summary>
    public SessionKind Kind { get; }

    /// <summary>When the run started, from the store's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The prompt the run answers, when there is one.</summary>
    public string? Prompt { get; }

    /// <summary>The store's clock.</summary>
    public TimeProvider Time { get; }
}
