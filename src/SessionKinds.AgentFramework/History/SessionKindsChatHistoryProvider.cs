using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework;

/// <summary>
/// The chat history of an agent that runs as a SessionKinds task: it reads the history from the SessionKinds store and
/// stores new messages by the task's route. Give it to the agent
/// (<c>new ChatClientAgentOptions { ChatHistoryProvider = new SessionKindsChatHistoryProvider(store) }</c>) and run the agent
/// through an <see cref="AgentTask"/>.
/// </summary>
/// <remarks>
/// <para><b>Reading.</b> Before the agent calls its model, the provider reads the transcript of the session stored under the
/// run's session key (the same key continues the same session id) and gives its messages to the agent, oldest first, ahead
/// of the new request. A key with no stored session (a first chat, a heartbeat that only ever acknowledged) has no history.
/// Within one run, messages of earlier agent calls on the same agent session follow the stored history.</para>
/// <para><b>Storing.</b> The provider writes nothing itself. When the agent reports a successful call, the provider holds its
/// request messages (without those it read from the history) and response messages — tool calls and results included —
/// for the run. The task returns them with its reply, and the store applies the task's route when it completes the
/// session, as one unit with everything else the route writes: a heartbeat acknowledgement or a silent cron run stores
/// none of them, a heartbeat alert or cron output stores them all, a user or subagent session always stores them. A call
/// that fails, a run that is cancelled and a task that throws leave nothing held and nothing stored.</para>
/// <para>Use the provider of the store that runs the task: history is read from <see cref="Store"/>, and a task's messages
/// are stored by the store that completes it. An agent session is bound to one run by its <see cref="AgentTask"/>; an
/// agent session that no task bound is refused before the model is called. A serialized agent session keeps its binding
/// (session key and kind, not the held messages): restored, it reads that key's history, and what it holds is stored only
/// when a task returns it.</para>
/// <para>Instances are thread-safe and hold no per-session state: a run's state lives in its agent session.</para>
/// </remarks>
public sealed class SessionKindsChatHistoryProvider : ChatHistoryProvider
{
    /// <summary>Creates the provider.</summary>
    /// <param name="store">The store that reads history (and that runs the tasks of this agent).</param>
    /// <param name="jsonSerializerOptions">
    /// The options that write and read messages (see <see cref="ChatTranscript"/>): <see langword="null"/> uses
    /// <see cref="AIJsonUtilities.DefaultOptions"/>; to keep custom <see cref="AIContent"/> types, pass a copy of those options
    /// on which <c>AddAIContentType&lt;TContent&gt;(…)</c> was called.
    /// </param>
    public SessionKindsChatHistoryProvider(SessionStore store, JsonSerializerOptions? jsonSerializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        JsonSerializerOptions = jsonSerializerOptions ?? AIJsonUtilities.DefaultOptions;
    }

    /// <summary>The store history is read from.</summary>
    public SessionStore Store { get; }

    /// <summary>The options that write and read messages.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; }

    /// <summary>
    /// The stored history of <paramref name="sessionKey"/>: the messages of the transcript of the session stored under that key,
    /// oldest first, as chat messages (see <see cref="ChatTranscript.ToChatMessage"/>); empty when the key has no session or
    /// its session has no transcript.
    /// </summary>
    /// <exception cref="SessionStoreException">The store could not be read; the message names what and says what to do.</exception>
    public async ValueTask<IReadOnlyList<ChatMessage>> ReadHistoryAsync(string sessionKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        var entry = await Store.FindSessionAsync(sessionKey, cancellationToken).ConfigureAwait(false);

        // Only a UUID names a transcript; a key whose entry has anything else gets a new session when it is next stored.
        if (entry?.SessionId is not { } sessionId || !Guid.TryParseExact(sessionId, "D", out _))
        {
            return [];
        }

        var transcript = await Store.ReadTranscriptAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return transcript is null ? [] : ChatTranscript.ToChatMessages(transcript, JsonSerializerOptions);
    }

    /// <summary>Binds <paramref name="session"/> to one run of a task; a session bound before starts over (its held messages are dropped).</summary>
    internal TaskRun BeginRun(AgentSession session, TaskContext context)
    {
        var run = new TaskRun(context.SessionKey, context.Kind);
        session.StateBag.SetValue(StateKey, run, TaskRunJsonContext.Default.Options);
        return run;
    }

    /// <inheritdoc />
    protected override async ValueTask<IEnumerable<ChatMessage>> ProvideChatHistoryAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        var run = RunOf(context.Session);
        var stored = run.StoredHistory;
        if (stored is null)
        {
            stored = await ReadHistoryAsync(run.SessionKey, cancellationToken).ConfigureAwait(false);
            run.StoredHistory = stored;
        }

        return run.HistoryWithHeld(stored);
    }

    /// <inheritdoc />
    protected override ValueTask StoreChatHistoryAsync(InvokedContext context, CancellationToken cancellationToken = default)
    {
        RunOf(context.Session).Hold(context.RequestMessages, context.ResponseMessages ?? []);
        return default;
    }

    private string StateKey => StateKeys[0];

    private TaskRun RunOf(AgentSession? session) =>
        session is not null && session.StateBag.TryGetValue<TaskRun>(StateKey, out var run, TaskRunJsonContext.Default.Options) && run is not null
            ? run
            : throw new InvalidOperationException(
                "This agent session is not bound to a SessionKinds task run, so SessionKindsChatHistoryProvider does not know whose " +
                "history to read or how to store it. Run the agent through an AgentTask subclass (with a session kind attribute), " +
                "which creates and binds a session for every run.");
}
