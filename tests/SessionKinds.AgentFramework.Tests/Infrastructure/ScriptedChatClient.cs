using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework.Tests.Infrastructure;

/// <summary>
/// A model that answers from a script, one step per call, and records what it was sent (as JSON, so later changes to
/// the messages cannot rewrite what the model saw) and where each came from in the agent's run (external, chat
/// history, context provider). Running past the end of the script fails the test.
/// </summary>
internal sealed class ScriptedChatClient(params ScriptedChatClient.Step[] steps) : IChatClient
{
    /// <summary>One call of the model: what it answers (or throws) given the messages and the cancellation token.</summary>
    public delegate Task<ChatResponse> Step(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken);

    private readonly Queue<Step> _steps = new(steps);
    private readonly List<IReadOnlyList<string>> _calls = [];
    private readonly List<IReadOnlyList<string>> _sources = [];

    /// <summary>
    /// The messages of each call, each serialized with the default MEAI options, without the source attribution the agent
    /// stamps on them (see <see cref="Sources"/>).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Calls => _calls;

    /// <summary>Where each message of each call came from: <c>External</c>, <c>ChatHistory</c> or <c>AIContextProvider</c>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Sources => _sources;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var sent = messages.ToList();
        _calls.Add([.. sent.Select(m => Json.Of(Json.WithoutAttribution(m)))]);
        _sources.Add([.. sent.Select(m => m.GetAgentRequestMessageSourceType().Value)]);
        if (!_steps.TryDequeue(out var step))
        {
            throw new Xunit.Sdk.XunitException($"The model was called {_calls.Count} times; the script has fewer steps.");
        }

        return await step(sent, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted model answers whole responses only.");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>Answers with text (message id <paramref name="messageId"/>) and the given usage.</summary>
    public static Step Say(string text, string messageId, int inputTokens = 10, int outputTokens = 5) =>
        (_, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text) { MessageId = messageId })
        {
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        });

    /// <summary>Asks for a tool call; the agent's function-invoking middleware runs it and calls the model again.</summary>
    public static Step Call(string callId, string tool, string messageId, params (string Name, object? Value)[] arguments) =>
        (_, _) => Task.FromResult(new ChatResponse(new ChatMessage(
            ChatRole.Assistant,
            [new FunctionCallContent(callId, tool, arguments.ToDictionary(a => a.Name, a => a.Value))]) { MessageId = messageId })
        {
            Usage = new UsageDetails { InputTokenCount = 8, OutputTokenCount = 4, TotalTokenCount = 12 },
        });

    /// <summary>Throws <paramref name="exception"/> instead of answering.</summary>
    public static Step Throw(Exception exception) => (_, _) => Task.FromException<ChatResponse>(exception);

    /// <summary>Signals <paramref name="started"/>, then waits until the call is cancelled.</summary>
    public static Step WaitForCancellation(TaskCompletionSource started) => async (_, cancellationToken) =>
    {
        started.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new Xunit.Sdk.XunitException("unreachable");
    };

    /// <summary>Cancels <paramref name="cancellation"/> (as a caller giving up just then), then answers with text anyway.</summary>
    public static Step CancelThenSay(CancellationTokenSource cancellation, string text, string messageId) => async (messages, cancellationToken) =>
    {
        await cancellation.CancelAsync();
        return await Say(text, messageId)(messages, CancellationToken.None);
    };
}

/// <summary>MEAI messages as JSON (the default options and <see cref="CardContent"/>, compact), for comparing what was sent and stored.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Compact = CreateCompact();

    public static string Of(ChatMessage message) => JsonSerializer.Serialize(message, Compact.GetTypeInfo(typeof(ChatMessage)));

    public static string Of(UsageDetails usage) => JsonSerializer.Serialize(usage, Compact.GetTypeInfo(typeof(UsageDetails)));

    private static JsonSerializerOptions CreateCompact()
    {
        var options = CardContent.Options();
        options.WriteIndented = false;
        return options;
    }

    /// <summary>A copy without Agent Framework's per-run source attribution.</summary>
    public static ChatMessage WithoutAttribution(ChatMessage message)
    {
        if (message.AdditionalProperties?.ContainsKey(AgentRequestMessageSourceAttribution.AdditionalPropertiesKey) != true)
        {
            return message;
        }

        var copy = message.Clone();
        copy.AdditionalProperties = new AdditionalPropertiesDictionary(message.AdditionalProperties);
        copy.AdditionalProperties.Remove(AgentRequestMessageSourceAttribution.AdditionalPropertiesKey);
        if (copy.AdditionalProperties.Count == 0)
        {
            copy.AdditionalProperties = null;
        }

        return copy;
    }
}
