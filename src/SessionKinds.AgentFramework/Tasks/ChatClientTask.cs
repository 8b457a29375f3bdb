using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework;

/// <summary>
/// A SessionKinds task whose body is one call of a Microsoft.Extensions.AI <see cref="IChatClient"/>, without an agent.
/// Derive a <c>partial</c> class with one session kind attribute, exactly as for any task (a class without one is SKND0001):
/// <code>
/// [UserSession]
/// public sealed partial class ChatTurn(IChatClient model, SessionKindsChatHistoryProvider history) : ChatClientTask(model, history);
/// </code>
/// </summary>
/// <remarks>
/// <para>Each run reads the history of the session stored under the run's key (when a history is given), sends it followed
/// by <see cref="CreateRequest"/> to the client, and returns the reply: the response's text
/// (<see cref="ChatResponse.Text"/>) decides the route exactly as a text reply does, and the request followed by the
/// response's messages (tool calls and results too, when the client invokes functions, e.g. built with
/// <c>UseFunctionInvocation()</c>) and its usage are the transcript the route stores: never for a heartbeat
/// acknowledgement or a silent cron run, always for a user or subagent session.</para>
/// <para>When the client throws or the run is cancelled, the task throws and nothing is stored (a cron task's run record
/// records a failed run).</para>
/// </remarks>
public abstract class ChatClientTask : IAgentTask
{
    /// <summary>Creates the task over <paramref name="chatClient"/>.</summary>
    /// <param name="chatClient">The client the task calls.</param>
    /// <param name="history">
    /// Where the history is read from and how messages are written (its store and JSON options); <see langword="null"/> runs
    /// every call without history and writes messages with <see cref="AIJsonUtilities.DefaultOptions"/>.
    /// </param>
    protected ChatClientTask(IChatClient chatClient, SessionKindsChatHistoryProvider? history = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ChatClient = chatClient;
        History = history;
    }

    /// <summary>The client that runs the task.</summary>
    protected IChatClient ChatClient { get; }

    /// <summary>Where the history is read from, or <see langword="null"/> for none.</summary>
    protected SessionKindsChatHistoryProvider? History { get; }

    /// <summary>
    /// The prompt of a run that has none (the store's <c>RunAsync</c> was given no prompt), e.g. a heartbeat's or a cron
    /// job's fixed question; <see langword="null"/> (the default) requires every run to have a prompt.
    /// </summary>
    protected virtual string? DefaultPrompt => null;

    /// <summary>Calls the client once for the session of <paramref name="context"/> and returns its reply, with the whole exchange as the transcript to store.</summary>
    /// <exception cref="InvalidOperationException">The run has no prompt.</exception>
    /// <exception cref="NotSupportedException">A message holds a content type the JSON options cannot serialize.</exception>
    public async ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = TaskRequest.Checked(CreateRequest(context), GetType());
        IReadOnlyList<ChatMessage> history = History is null
            ? []
            : await History.ReadHistoryAsync(context.SessionKey, cancellationToken).ConfigureAwait(false);

        var response = await ChatClient.GetResponseAsync([.. history, .. request], CreateChatOptions(context), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{ChatClient.GetType().FullName}.GetResponseAsync returned null.");
        return ChatTranscript.CreateReply(response.Text, [.. request, .. response.Messages], response.Usage, History?.JsonSerializerOptions);
    }

    /// <summary>The messages sent after the history in this run; by default one user message with the run's prompt or <see cref="DefaultPrompt"/>.</summary>
    /// <exception cref="InvalidOperationException">The run has no prompt and the task no <see cref="DefaultPrompt"/>.</exception>
    protected virtual IList<ChatMessage> CreateRequest(TaskContext context) =>
        TaskRequest.FromPrompt(context, DefaultPrompt, GetType());

    /// <summary>The chat options of this run (model, tools, temperature…); by default <see langword="null"/>.</summary>
    protected virtual ChatOptions? CreateChatOptions(TaskContext context) => null;
}
