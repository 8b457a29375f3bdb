using SessionKinds.AgentFramework.Tests.Infrastructure;
using static SessionKinds.AgentFramework.Tests.Infrastructure.Expect;
using static SessionKinds.AgentFramework.Tests.Infrastructure.ScriptedChatClient;

namespace SessionKinds.AgentFramework.Tests.Routing;

/// <summary>Each kind through a <see cref="ChatClientTask"/>: the same routing as an agent, without Agent Framework.</summary>
public sealed class ChatClientTaskRoutingTests
{
    [Fact]
    public async Task A_heartbeat_ack_stores_nothing_and_an_alert_stores_the_request_and_the_answer()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("HEARTBEAT_OK", "m1"), Say("The ACME invoice is due today.", "m2"));
        var task = new DirectHeartbeat(model, new SessionKindsChatHistoryProvider(folder.Store));

        var ack = await folder.Store.RunAsync(task, "agent:main:direct-heartbeat");
        Assert.Equal(ReplyVerdict.Ack, ack.Verdict);
        Files(folder, "direct-ring.json", "heartbeat-state.json");

        var alert = await folder.Store.RunAsync(task, "agent:main:direct-heartbeat");
        Assert.Equal(ReplyVerdict.Alert, alert.Verdict);
        TranscriptLines(folder, alert.SessionId, StartMs,
            """{"type":"session","sessionId":"SESSION","key":"agent:main:direct-heartbeat","kind":"heartbeat","ts":TS}""",
            """{"type":"message","role":"user","content":"Check the inbox. Reply HEARTBEAT_OK if nothing needs the user.","ts":TS}""",
            """{"type":"message","role":"assistant","content":"The ACME invoice is due today.","ts":TS,"data":{"chatMessage":{"role":"assistant","contents":[{"$type":"text","text":"The ACME invoice is due today."}],"messageId":"m2"},"usage":{"inputTokenCount":10,"outputTokenCount":5,"totalTokenCount":15}}}""");

        // The acknowledged run left no history: the alert's call carried the question only.
        Assert.Single(model.Calls[1]);
    }

    [Fact]
    public async Task A_silent_cron_run_records_only_its_run()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("no_reply", "m1"));

        var outcome = await folder.Store.RunAsync(new DirectDigest(model), "agent:main:cron:digest");

        Assert.Equal(ReplyVerdict.Silent, outcome.Verdict);
        Files(folder, "cron-runs.json");
        var run = Assert.Single((await folder.Store.ReadCronRunsAsync()).Runs);
        Assert.Equal((CronRunVerdict.Silent, "SessionKinds.AgentFramework.Tests.Infrastructure.DirectDigest"), (run.Verdict, run.Task));
    }

    [Fact]
    public async Task A_user_session_is_stored_and_continues_with_its_history()
    {
        await using var folder = new AgentFolder();
        var history = new SessionKindsChatHistoryProvider(folder.Store);
        var model = new ScriptedChatClient(Say("Platform 4 at 07:34.", "m1"), Say("About 40 minutes.", "m2"));

        var first = await folder.Store.RunAsync(new DirectChat(model, history), "agent:main:main", "When does my train leave?");
        var second = await folder.Store.RunAsync(new DirectChat(model, history), "agent:main:main", "How long is the ride?");

        Assert.Equal(first.SessionId, second.SessionId);
        Assert.True(second.ContinuedExistingSession);
        Assert.Equal(
            [
                """{"role":"user","contents":[{"$type":"text","text":"When does my train leave?"}]}""",
                """{"role":"assistant","contents":[{"$type":"text","text":"Platform 4 at 07:34."}],"messageId":"m1"}""",
                """{"role":"user","contents":[{"$type":"text","text":"How long is the ride?"}]}""",
            ],
            model.Calls[1]);
        var transcript = await folder.Store.ReadTranscriptAsync(second.SessionId);
        Assert.Equal(
            ["When does my train leave?", "Platform 4 at 07:34.", "How long is the ride?", "About 40 minutes."],
            transcript!.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task Without_a_history_every_run_stands_alone_and_is_still_stored_whole()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient(Say("Hello.", "m1"), Say("Hello again.", "m2"));

        await folder.Store.RunAsync(new DirectChat(model, history: null), "agent:main:main", "Hi");
        var second = await folder.Store.RunAsync(new DirectChat(model, history: null), "agent:main:main", "Hi again");

        Assert.Single(model.Calls[1]);
        var transcript = await folder.Store.ReadTranscriptAsync(second.SessionId);
        Assert.Equal(4, transcript!.Messages.Count);
    }
}
