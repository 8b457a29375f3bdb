using SessionKinds.AgentFramework.Tests.Infrastructure;
using static SessionKinds.AgentFramework.Tests.Infrastructure.Expect;
using static SessionKinds.AgentFramework.Tests.Infrastructure.ScriptedChatClient;

namespace SessionKinds.AgentFramework.Tests.Routing;

/// <summary>
/// Each kind through an <see cref="AgentTask"/> and the history provider: the reply's text decides the route, the whole
/// exchange (request, tool calls and results, answer, usage) is what a persisted route stores, and an ack stores none of it.
/// </summary>
public sealed class AgentTaskRoutingTests
{
    private const string HeartbeatKey = "agent:main:heartbeat";

    [Fact]
    public async Task A_heartbeat_ack_stores_nothing_of_the_exchange_although_the_agent_called_a_tool()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(
            Call("call_1", "check_inbox", "msg-1", ("folder", "inbox"), ("limit", 5)),
            Say("HEARTBEAT_OK", "msg-2"));

        var outcome = await folder.Store.RunAsync(new InboxCheck(TestAgents.Create(model, folder.Store)), HeartbeatKey);

        Assert.Equal(ReplyVerdict.Ack, outcome.Verdict);
        Assert.Equal(PersistTargets.HeartbeatState | PersistTargets.HeartbeatRing, outcome.Written);
        Assert.Equal(2, model.Calls.Count); // the tool loop really ran
        Files(folder, "heartbeat-ring.json", "heartbeat-state.json");
        Assert.Empty(await folder.Store.ReadSessionsAsync());
        var ring = await folder.Store.ReadHeartbeatRingAsync();
        Assert.Equal(HeartbeatResult.Ok, Assert.Single(ring.Entries).Result);
        Assert.Empty(await new SessionKindsChatHistoryProvider(folder.Store).ReadHistoryAsync(HeartbeatKey));
    }

    [Fact]
    public async Task A_heartbeat_alert_stores_the_request_the_tool_call_its_result_and_the_answer_with_usage()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(
            Call("call_1", "check_inbox", "msg-1", ("folder", "inbox"), ("limit", 5)),
            Say("The ACME invoice is due today.", "msg-2"));

        var outcome = await folder.Store.RunAsync(new InboxCheck(TestAgents.Create(model, folder.Store)), HeartbeatKey);

        Assert.Equal(ReplyVerdict.Alert, outcome.Verdict);
        Assert.Equal("The ACME invoice is due today.", outcome.Summary);
        Files(folder, $"{outcome.SessionId}.jsonl", "heartbeat-ring.json", "heartbeat-state.json", "sessions.json");
        TranscriptLines(folder, outcome.SessionId, StartMs,
            """{"type":"session","sessionId":"SESSION","key":"agent:main:heartbeat","kind":"heartbeat","ts":TS}""",
            """{"type":"message","role":"user","content":"Check the inbox. Reply HEARTBEAT_OK if nothing needs the user.","ts":TS}""",
            """{"type":"message","role":"assistant","content":"","ts":TS,"data":{"chatMessage":{"authorName":"assistant","role":"assistant","contents":[{"$type":"functionCall","name":"check_inbox","arguments":{"folder":"inbox","limit":5},"informationalOnly":true,"callId":"call_1"}],"messageId":"msg-1"}}}""",
            """{"type":"message","role":"tool","content":"","ts":TS,"data":{"chatMessage":{"authorName":"assistant","role":"tool","contents":[{"$type":"functionResult","result":"2 unread: invoice from ACME (due today), lunch on Friday?","callId":"call_1"}]}}}""",
            """{"type":"message","role":"assistant","content":"The ACME invoice is due today.","ts":TS,"data":{"chatMessage":{"authorName":"assistant","role":"assistant","contents":[{"$type":"text","text":"The ACME invoice is due today."}],"messageId":"msg-2"},"usage":{"inputTokenCount":18,"outputTokenCount":9,"totalTokenCount":27}}}""");
    }

    [Fact]
    public async Task Acks_and_alerts_of_one_heartbeat_differ_only_in_the_reply_text()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("**HEARTBEAT_OK**", "a"), Say("HEARTBEAT_OK. Nothing new.", "b"), Say("Your train is cancelled.", "c"));
        var agent = TestAgents.Create(model, folder.Store);

        var verdicts = new List<ReplyVerdict>();
        for (var i = 0; i < 3; i++)
        {
            verdicts.Add((await folder.Store.RunAsync(new InboxCheck(agent), HeartbeatKey)).Verdict);
            folder.Time.Advance(TimeSpan.FromMinutes(30));
        }

        Assert.Equal([ReplyVerdict.Ack, ReplyVerdict.Ack, ReplyVerdict.Alert], verdicts);
        var entry = Assert.Single(await folder.Store.ReadSessionsAsync());
        var transcript = await folder.Store.ReadTranscriptAsync(entry.SessionId!);
        Assert.Equal(["Check the inbox. Reply HEARTBEAT_OK if nothing needs the user.", "Your train is cancelled."], transcript!.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task A_silent_cron_run_records_only_its_run_and_a_run_with_output_stores_the_exchange()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("NO_REPLY", "m1"), Say("Standup moved to 10:00.", "m2"));
        var agent = TestAgents.Create(model, folder.Store);

        var silent = await folder.Store.RunAsync(new MorningBrief(agent), "agent:main:cron:brief");
        Assert.Equal(ReplyVerdict.Silent, silent.Verdict);
        Files(folder, "cron-runs.json");

        folder.Time.Advance(TimeSpan.FromDays(1));
        var output = await folder.Store.RunAsync(new MorningBrief(agent), "agent:main:cron:brief");

        Assert.Equal(ReplyVerdict.Output, output.Verdict);
        Files(folder, $"{output.SessionId}.jsonl", "cron-runs.json", "sessions.json");
        const long nextDayMs = StartMs + 86_400_000;
        TranscriptLines(folder, output.SessionId, nextDayMs,
            """{"type":"session","sessionId":"SESSION","key":"agent:main:cron:brief","kind":"cron","ts":TS}""",
            """{"type":"message","role":"user","content":"Brief the user on today, or reply NO_REPLY.","ts":TS}""",
            """{"type":"message","role":"assistant","content":"Standup moved to 10:00.","ts":TS,"data":{"chatMessage":{"authorName":"assistant","role":"assistant","contents":[{"$type":"text","text":"Standup moved to 10:00."}],"messageId":"m2"},"usage":{"inputTokenCount":10,"outputTokenCount":5,"totalTokenCount":15}}}""");
        var runs = await folder.Store.ReadCronRunsAsync();
        Assert.Equal([CronRunVerdict.Silent, CronRunVerdict.Output], runs.Runs.Select(r => r.Verdict));
    }

    [Fact]
    public async Task A_user_session_is_always_stored_and_a_plain_prompt_needs_no_data()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("HEARTBEAT_OK", "m1"));

        var outcome = await folder.Store.RunAsync(new ChatTurn(TestAgents.Create(model, folder.Store)), "agent:main:main", "Say HEARTBEAT_OK.");

        Assert.Equal(ReplyVerdict.Conversation, outcome.Verdict);
        Assert.Equal(PersistTargets.SessionEntry | PersistTargets.Transcript, outcome.Written);
        TranscriptLines(folder, outcome.SessionId, StartMs,
            """{"type":"session","sessionId":"SESSION","key":"agent:main:main","kind":"user","ts":TS}""",
            """{"type":"message","role":"user","content":"Say HEARTBEAT_OK.","ts":TS}""",
            """{"type":"message","role":"assistant","content":"HEARTBEAT_OK","ts":TS,"data":{"chatMessage":{"authorName":"assistant","role":"assistant","contents":[{"$type":"text","text":"HEARTBEAT_OK"}],"messageId":"m1"},"usage":{"inputTokenCount":10,"outputTokenCount":5,"totalTokenCount":15}}}""");
    }

    [Fact]
    public async Task A_subagent_session_is_always_stored_even_when_its_text_would_be_silent_for_cron()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(
            Call("call_9", "check_inbox", "m1", ("folder", "travel"), ("limit", 1)),
            Say("NO_REPLY", "m2"));

        var outcome = await folder.Store.RunAsync(new Research(TestAgents.Create(model, folder.Store)), "agent:main:subagent:7", "Any travel mail?");

        Assert.Equal(ReplyVerdict.Conversation, outcome.Verdict);
        Assert.Equal(PersistTargets.SessionEntry | PersistTargets.Transcript, outcome.Written);
        var transcript = await folder.Store.ReadTranscriptAsync(outcome.SessionId);
        Assert.Equal(["user", "assistant", "tool", "assistant"], transcript!.Messages.Select(m => m.Role));
        Assert.Equal(SessionKind.Subagent, transcript.Header!.Kind);
    }
}
