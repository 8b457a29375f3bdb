using SessionKinds.AgentFramework.Tests.Infrastructure;
using static SessionKinds.AgentFramework.Tests.Infrastructure.Expect;
using static SessionKinds.AgentFramework.Tests.Infrastructure.ScriptedChatClient;

namespace SessionKinds.AgentFramework.Tests.Failures;

/// <summary>
/// A model that throws leaves nothing half stored: no entry, no transcript line, no heartbeat state — and for a cron task
/// exactly one run record that says <c>failed</c> and why.
/// </summary>
public sealed class ModelFailureTests
{
    [Fact]
    public async Task A_cron_task_whose_model_throws_records_a_failed_run_and_nothing_else()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Throw(new InvalidOperationException("model unavailable (503)")));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await folder.Store.RunAsync(new MorningBrief(TestAgents.Create(model, folder.Store)), "agent:main:cron:brief"));

        Assert.Equal("model unavailable (503)", ex.Message);
        Files(folder, "cron-runs.json");
        var run = Assert.Single((await folder.Store.ReadCronRunsAsync()).Runs);
        Assert.Equal(CronRunVerdict.Failed, run.Verdict);
        Assert.Equal("InvalidOperationException: model unavailable (503)", run.Summary);
        Assert.Equal("SessionKinds.AgentFramework.Tests.Infrastructure.MorningBrief", run.Task);
    }

    [Fact]
    public async Task A_model_that_throws_after_a_tool_ran_leaves_no_trace_of_the_tool_call()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(
            Call("call_1", "check_inbox", "m1", ("folder", "inbox"), ("limit", 5)),
            Throw(new HttpRequestException("connection reset")));

        await Assert.ThrowsAsync<HttpRequestException>(
            async () => await folder.Store.RunAsync(new ChatTurn(TestAgents.Create(model, folder.Store)), "agent:main:main", "Inbox?"));

        Assert.Equal(2, model.Calls.Count); // the tool ran between the two calls
        NothingWritten(folder);
        Assert.Empty(await new SessionKindsChatHistoryProvider(folder.Store).ReadHistoryAsync("agent:main:main"));
    }

    [Fact]
    public async Task A_heartbeat_whose_model_throws_leaves_the_heartbeat_state_and_ring_untouched()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("HEARTBEAT_OK", "m1"), Throw(new TimeoutException("model timed out")));
        var agent = TestAgents.Create(model, folder.Store);
        await folder.Store.RunAsync(new InboxCheck(agent), "agent:main:heartbeat");
        var state = File.ReadAllBytes(Path.Combine(folder.Path, "heartbeat-state.json"));
        var ring = File.ReadAllBytes(Path.Combine(folder.Path, "heartbeat-ring.json"));

        folder.Time.Advance(TimeSpan.FromMinutes(30));
        await Assert.ThrowsAsync<TimeoutException>(async () => await folder.Store.RunAsync(new InboxCheck(agent), "agent:main:heartbeat"));

        Files(folder, "heartbeat-ring.json", "heartbeat-state.json");
        Assert.Equal(state, File.ReadAllBytes(Path.Combine(folder.Path, "heartbeat-state.json")));
        Assert.Equal(ring, File.ReadAllBytes(Path.Combine(folder.Path, "heartbeat-ring.json")));
    }

    [Fact]
    public async Task A_chat_client_task_whose_client_throws_records_a_failed_cron_run_and_nothing_else()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Throw(new InvalidOperationException("quota exceeded")));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await folder.Store.RunAsync(new DirectDigest(model), "agent:main:cron:digest"));

        Files(folder, "cron-runs.json");
        var run = Assert.Single((await folder.Store.ReadCronRunsAsync()).Runs);
        Assert.Equal((CronRunVerdict.Failed, "InvalidOperationException: quota exceeded"), (run.Verdict, run.Summary));
    }

    [Fact]
    public async Task A_failed_turn_does_not_disturb_the_stored_conversation_and_the_next_turn_continues_it()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("Hello Ada.", "m1"), Throw(new InvalidOperationException("boom")), Say("You are Ada.", "m3"));
        var agent = TestAgents.Create(model, folder.Store);
        var first = await folder.Store.RunAsync(new ChatTurn(agent), "agent:main:main", "I am Ada.");
        var before = folder.TranscriptLines(first.SessionId);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await folder.Store.RunAsync(new ChatTurn(agent), "agent:main:main", "Lost words"));
        Assert.Equal(before, folder.TranscriptLines(first.SessionId));

        await folder.Store.RunAsync(new ChatTurn(agent), "agent:main:main", "Who am I?");
        Assert.Equal(3, model.Calls[2].Count); // the failed turn's prompt is not in the history
        Assert.DoesNotContain(model.Calls[2], m => m.Contains("Lost words", StringComparison.Ordinal));
    }
}
