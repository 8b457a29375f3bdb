using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework;

/// <summary>
/// A SessionKinds task whose body is a Microsoft Agent Framework <see cref="AIAgent"/>. Derive a <c>partial</c> class with
/// one session kind attribute, exactly as for any task (a class without one is SKND0001):
/// <code>
/// [HeartbeatSession]
/// public sealed partial class InboxCheck(AIAgent agent) : AgentTask(agent)
/// {
///     protected override string DefaultPrompt => "Anything in the inbox worth telling the user? Reply HEARTBEAT_OK if not.";
/// }
/// </code>
/// </summary>
/// <remarks>
/// <para>The agent's chat history must be a <see cref="SessionKindsChatHistoryProvider"/> (for a <c>ChatClientAgent</c>:
/// <c>ChatClientAgentOptions.ChatHistoryProvider</c>); the agent finds it through <see cref="AIAgent.GetService"/>.</para>
/// <para>Each run creates a new agent session, binds it to the run's session key, sends <see cref="CreateRequest"/> to the
/// agent, and returns the agent's reply: its text (<see cref="AgentResponse.Text"/>) decides the route exactly as a text
/// reply does, and the whole exchange — request and response messages, tool calls and results, usage — is the transcript
/// the route stores. The history the agent sees is the transcript of the session stored under the same key, so a user
/// session continues across runs; see <see cref="SessionKindsChatHistoryProvider"/> for what is held, stored and dropped.
/// When the agent keeps its history in its service instead (a conversation id), the transcript is the request followed by
/// the response's messages.</para>
/// <para>When the agent throws or the run is cancelled, the task throws and nothing is stored (a cron task's run record
/// records a failed run).</para>
/// </remarks>
public abstract class AgentTask : IAgentTask
{
    /// <summary>Creates the task over <paramref name="agent"/>.</summary>
    protected AgentTask(AIAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        Agent = agent;
    }

    /// <summary>The agent that runs the task.</summary>
    protected AIAgent Agent { get; }

    /// <summary>
    /// The prompt of a run that has none (the store's <c>RunAsync</c> was given no prompt), e.g. a heartbeat's or a cron
    /// job's fixed question; <see langword="null"/> (the default) requires every run to have a prompt.
    /// </summary>
    protected virtual string? DefaultPrompt => null;

    /// <summary>
    /// Runs the agent once for the session of <paramref name="context"/> and returns its reply, with the whole exchange as
    /// the transcript to store.
    /// </summary>
    /// <exception cref="InvalidOperationException">The agent has no <see cref="SessionKindsChatHistoryProvider"/>, or the run has no prompt.</exception>
    /// <exception cref="NotSupportedException">A message holds a content type the provider's JSON options cannot serialize.</exception>
    public async ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = Agent.GetService<SessionKindsChatHistoryProvider>()
            ?? throw new InvalidOperationException(
                $"{GetType().FullName} runs an agent whose chat history is not a SessionKindsChatHistoryProvider, so its history would " +
                "be neither read from nor stored by the session's route. Create the agent with one, e.g. new ChatClientAgentOptions " +
                "{ ChatHistoryProvider = new SessionKindsChatHistoryProvider(store) }.");
        var request = TaskRequest.Checked(CreateRequest(context), GetType());

        var session = await Agent.CreateSessionAsync(cancellationToken).ConfigureAwait(false);
        var run = history.BeginRun(session, context);
        var response = await RunAgentAsync(request, session, context, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{GetType().FullName}.RunAgentAsync returned null; return the agent's response.");
        return run.CreateReply(request, response, history.JsonSerializerOptions);
    }

    /// <summary>The messages sent to the agent in this run; by default one user message with the run's prompt or <see cref="DefaultPrompt"/>.</summary>
    /// <exception cref="InvalidOperationException">The run has no prompt and the task no <see cref="DefaultPrompt"/>.</exception>
    protected virtual IList<ChatMessage> CreateRequest(TaskContext context) =>
        TaskRequest.FromPrompt(context, DefaultPrompt, GetType());

    /// <summary>
    /// Calls the agent; by default <c>Agent.RunAsync(request, session, null, cancellationToken)</c>. Override it to pass run
    /// options, or to stream (collect the updates with <c>ToAgentResponseAsync</c>). Call the agent with
    /// <paramref name="session"/> only: it is the session bound to this run.
    /// </summary>
    protected virtual Task<AgentResponse> RunAgentAsync(IList<ChatMessage> request, AgentSession session, TaskContext context, CancellationToken cancellationToken) =>
        Agent.RunAsync(request, session, options: null, cancellationToken);
}
