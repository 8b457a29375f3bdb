using SessionKinds.Engines;

namespace SessionKinds;

/// <summary>
/// A session that has started and not yet completed. Starting a session writes nothing; what its reply persists is
/// decided by <see cref="SessionStore.CompleteAsync"/>. Complete it once; a completion that failed or was cancelled
/// (and so wrote nothing) may be retried.
/// </summary>
public sealed class SessionHandle
{
    private const int Open = 0;
    private const int Completing = 1;
    private const int Completed = 2;

    private int _state;

    internal SessionHandle(SessionStore store, SessionBinding binding, string key, string sessionId, DateTimeOffset startedAt, string? prompt)
    {
        Store = store;
        Binding = binding;
        Key = key;
        SessionId = sessionId;
        StartedAt = startedAt;
        Prompt = prompt;
    }

    /// <summary>The session key, validated.</summary>
    public string Key { get; }

    /// <summary>
    /// A new session id (a UUID). When <see cref="Key"/> already has an entry, completing continues that session instead
    /// and <see cref="SessionOutcome.SessionId"/> reports the id actually used.
    /// </summary>
    public string SessionId { get; }

    /// <summary>The session's kind.</summary>
    public SessionKind Kind => Binding.Kind;

    /// <summary>When the session started, from the store's clock.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The prompt the session answers, when there is one; it is recorded as the user message.</summary>
    public string? Prompt { get; }

    /// <summary>The task the session runs, or <see langword="null"/> for a session started with an explicit kind.</summary>
    public SessionTaskInfo? Task => Binding.Task;

    /// <summary>Whether the session has been completed.</summary>
    public bool IsCompleted => Volatile.Read(ref _state) == Completed;

    internal SessionStore Store { get; }

    internal SessionBinding Binding { get; }

    /// <summary>The scheduled occurrence this session runs, marked done by its completion; <see langword="null"/> for other sessions.</summary>
    internal ScheduledOccurrence? Occurrence { get; init; }

    internal void BeginComplete()
    {
        var previous = Interlocked.CompareExchange(ref _state, Completing, Open);
        if (previous != Open)
        {
            throw new InvalidOperationException(
                $"Session \"{AgentFileNameRules.Printable(Key)}\" ({SessionId}) is {(previous == Completed ? "already completed" : "being completed by another caller")}. " +
                "Start a new session for the next run.");
        }
    }

    internal void EndComplete(bool succeeded) => Volatile.Write(ref _state, succeeded ? Completed : Open);

    /// <inheritdoc />
    public override string ToString() => $"{SessionKindNames.ToName(Kind)} session {Key} ({SessionId})";
}
