using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using SessionKinds.AgentFramework.Tests.Infrastructure;
using static SessionKinds.AgentFramework.Tests.Infrastructure.Expect;
using static SessionKinds.AgentFramework.Tests.Infrastructure.ScriptedChatClient;

namespace SessionKinds.AgentFramework.Tests.History;

/// <summary>
/// The history provider reads history back from the store: the same key continues the same session id, and its
/// transcript's messages (tool calls included) become the agent's history, across store instances.
/// </summary>
public sealed class HistoryContinuationTests
{
    private const string ChatKey = "agent:main:main";

    [Fact]
    public async Task A_user_session_continues_across_runs_and_a_restarted_store_with_its_tool_calls()
    {
        await using var folder = new AgentFolder();
        var firstModel = new ScriptedChatClient(
            Call("call_1", "check_inbox", "m1", ("folder", "inbox"), ("limit", 5)),
            Say("Yes: the ACME invoice is due today.", "m2"));
        var first = await folder.Store.RunAsync(new ChatTurn(TestAgents.Create(firstModel, folder.Store)), ChatKey, "Anything urgent in my inbox?");

        await folder.ReopenAsync();
        folder.Time.Advance(TimeSpan.FromHours(1));
        var secondModel = new ScriptedChatClient(Say("I will remind you at noon.", "m3"));
        var second = await folder.Store.RunAsync(new ChatTurn(TestAgents.Create(secondModel, folder.Store)), ChatKey, "Remind me at noon.");

        Assert.Equal(first.SessionId, second.SessionId);
        Assert.True(second.ContinuedExistingSession);
        Assert.Equal(
            [
                """{"role":"user","contents":[{"$type":"text","text":"Anything urgent in my inbox?"}]}""",
                """{"authorName":"assistant","role":"assistant","contents":[{"$type":"functionCall","name":"check_inbox","arguments":{"folder":"inbox","limit":5},"informationalOnly":true,"callId":"call_1"}],"messageId":"m1"}""",
                """{"authorName":"assistant","role":"tool","contents":[{"$type":"functionResult","result":"2 unread: invoice from ACME (due today), lunch on Friday?","callId":"call_1"}]}""",
                """{"authorName":"assistant","role":"assistant","contents":[{"$type":"text","text":"Yes: the ACME invoice is due today."}],"messageId":"m2"}""",
                """{"role":"user","contents":[{"$type":"text","text":"Remind me at noon."}]}""",
            ],
            secondModel.Calls[0]);
        Assert.Equal(["ChatHistory", "ChatHistory", "ChatHistory", "ChatHistory", "External"], secondModel.Sources[0]);

        // One session, one header, both runs' messages in order; the history was not stored a second time.
        var transcript = await folder.Store.ReadTranscriptAsync(second.SessionId);
        Assert.Equal(["user", "assistant", "tool", "assistant", "user", "assistant"], transcript!.Messages.Select(m => m.Role));
        Assert.Equal(7, folder.TranscriptLines(second.SessionId).Count);
    }

    [Fact]
    public async Task Acknowledged_heartbeats_leave_no_history_and_an_alert_becomes_the_next_runs_history()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(
            Say("HEARTBEAT_OK", "m1"),
            Say("HEARTBEAT_OK", "m2"),
            Say("Your train is cancelled.", "m3"),
            Say("HEARTBEAT_OK", "m4"));
        var agent = TestAgents.Create(model, folder.Store);

        for (var i = 0; i < 4; i++)
        {
            await folder.Store.RunAsync(new InboxCheck(agent), "agent:main:heartbeat");
            folder.Time.Advance(TimeSpan.FromMinutes(30));
        }

        Assert.Equal([1, 1, 1, 3], model.Calls.Select(c => c.Count));
        Assert.Equal(["ChatHistory", "ChatHistory", "External"], model.Sources[3]);
        Assert.Contains("Your train is cancelled.", model.Calls[3][1], StringComparison.Ordinal);
        var transcript = await folder.Store.ReadTranscriptAsync(Assert.Single(await folder.Store.ReadSessionsAsync()).SessionId!);
        Assert.Equal(2, transcript!.Messages.Count); // the final ack added nothing
    }

    [Fact]
    public async Task A_session_written_by_a_text_task_continues_as_role_and_text()
    {
        await using var folder = new AgentFolder();
        var handle = folder.Store.StartSession(SessionKind.User, ChatKey, "Hi, I am Ada.");
        await folder.Store.CompleteAsync(handle, "Hello Ada.");
        var model = new ScriptedChatClient(Say("You are Ada.", "m1"));

        await folder.Store.RunAsync(new ChatTurn(TestAgents.Create(model, folder.Store)), ChatKey, "Who am I?");

        Assert.Equal(
            [
                """{"role":"user","contents":[{"$type":"text","text":"Hi, I am Ada."}]}""",
                """{"role":"assistant","contents":[{"$type":"text","text":"Hello Ada."}]}""",
                """{"role":"user","contents":[{"$type":"text","text":"Who am I?"}]}""",
            ],
            model.Calls[0]);
    }

    [Fact]
    public async Task ReadHistoryAsync_returns_the_request_and_the_agents_own_response_messages_equal_to_what_it_returned()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(
            Call("call_1", "check_inbox", "m1", ("folder", "inbox"), ("limit", 5)),
            Say("Two unread.", "m2"));
        var task = new RecordingChat(TestAgents.Create(model, folder.Store));

        await folder.Store.RunAsync(task, ChatKey, "Inbox?");

        var history = await new SessionKindsChatHistoryProvider(folder.Store).ReadHistoryAsync(ChatKey);
        Assert.Equal(["""{"role":"user","contents":[{"$type":"text","text":"Inbox?"}]}""", .. task.ResponseMessages], history.Select(Json.Of));
        Assert.Equal(3, task.ResponseMessages.Count);
        Assert.IsType<FunctionCallContent>(Assert.Single(history[1].Contents));
        Assert.IsType<FunctionResultContent>(Assert.Single(history[2].Contents));
    }

    [Fact]
    public async Task An_agent_without_the_SessionKinds_history_is_refused_before_the_model_is_called()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("Hello.", "m1"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await folder.Store.RunAsync(new ChatTurn(TestAgents.WithoutSessionKindsHistory(model)), ChatKey, "Hi"));

        Assert.Contains("SessionKindsChatHistoryProvider", ex.Message, StringComparison.Ordinal);
        Assert.Empty(model.Calls);
        NothingWritten(folder);
    }

    [Fact]
    public async Task An_agent_session_that_no_task_bound_is_refused_before_the_model_is_called()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("Hello.", "m1"));
        var agent = TestAgents.Create(model, folder.Store);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await agent.RunAsync("Hi", await agent.CreateSessionAsync()));

        Assert.Contains("AgentTask", ex.Message, StringComparison.Ordinal);
        Assert.Empty(model.Calls);
        NothingWritten(folder);
    }

    [Fact]
    public async Task A_run_without_a_prompt_and_without_a_default_prompt_is_refused_before_the_model_is_called()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("Hello.", "m1"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await folder.Store.RunAsync(new ChatTurn(TestAgents.Create(model, folder.Store)), ChatKey));

        Assert.Contains("DefaultPrompt", ex.Message, StringComparison.Ordinal);
        Assert.Empty(model.Calls);
        NothingWritten(folder);
    }

    [Fact]
    public async Task A_serialized_agent_session_keeps_its_run_binding_and_a_restored_one_reads_the_stored_history()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("Hello.", "m1"), Say("Still here.", "m2"));
        var agent = new ChatClientAgent(model, new ChatClientAgentOptions { ChatHistoryProvider = new SessionKindsChatHistoryProvider(folder.Store) });
        var task = new SerializingChat(agent);

        await folder.Store.RunAsync(task, ChatKey, "Hi");

        Assert.Equal("""{"sessionKey":"agent:main:main","kind":"user"}""", task.SerializedRun!.Value.GetProperty("stateBag").GetProperty(nameof(SessionKindsChatHistoryProvider)).GetRawText());
        var restored = await agent.DeserializeSessionAsync(task.SerializedRun.Value);
        await agent.RunAsync("Are you there?", restored);
        Assert.Equal(["ChatHistory", "ChatHistory", "External"], model.Sources[1]);
    }
}

/// <summary>A chat turn that serializes its agent session after the agent answered.</summary>
[UserSession]
public sealed partial class SerializingChat(AIAgent agent) : AgentTask(agent)
{
    public System.Text.Json.JsonElement? SerializedRun { get; private set; }

    protected override async Task<AgentResponse> RunAgentAsync(IList<ChatMessage> request, AgentSession session, TaskContext context, CancellationToken cancellationToken)
    {
        var response = await base.RunAgentAsync(request, session, context, cancellationToken);
        SerializedRun = await Agent.SerializeSessionAsync(session, cancellationToken: cancellationToken);
        return response;
    }
}

/// <summary>A chat turn that keeps the JSON of the agent's response messages.</summary>
[UserSession]
public sealed partial class RecordingChat(AIAgent agent) : AgentTask(agent)
{
    public IReadOnlyList<string> ResponseMessages { get; private set; } = [];

    protected override async Task<AgentResponse> RunAgentAsync(IList<ChatMessage> request, AgentSession session, TaskContext context, CancellationToken cancellationToken)
    {
        var response = await base.RunAgentAsync(request, session, context, cancellationToken);
        ResponseMessages = [.. response.Messages.Select(Json.Of)];
        return response;
    }
}
