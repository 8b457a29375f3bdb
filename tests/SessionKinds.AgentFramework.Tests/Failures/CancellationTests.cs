using SessionKinds.AgentFramework.Tests.Infrastructure;
using static SessionKinds.AgentFramework.Tests.Infrastructure.Expect;
using static SessionKinds.AgentFramework.Tests.Infrastructure.ScriptedChatClient;

namespace SessionKinds.AgentFramework.Tests.Failures;

/// <summary>A cancelled run stores nothing: not while the model thinks, not after it answered, not for a cron task's run record.</summary>
public sealed class CancellationTests
{
    [Theory]
    [InlineData(SessionKind.User)]
    [InlineData(SessionKind.Heartbeat)]
    [InlineData(SessionKind.Cron)]
    public async Task A_run_cancelled_while_the_model_is_answering_stores_nothing(SessionKind kind)
    {
        await using var folder = new AgentFolder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = new ScriptedChatClient(WaitForCancellation(started));
        var agent = TestAgents.Create(model, folder.Store);
        using var cancellation = new CancellationTokenSource();

        var run = RunAsync(folder.Store, agent, kind, cancellation.Token);
        await started.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await run);
        NothingWritten(folder);
    }

    [Theory]
    [InlineData(SessionKind.User)]
    [InlineData(SessionKind.Heartbeat)]
    [InlineData(SessionKind.Cron)]
    public async Task A_run_cancelled_after_the_model_answered_stores_nothing(SessionKind kind)
    {
        await using var folder = new AgentFolder();
        using var cancellation = new CancellationTokenSource();
        var model = new ScriptedChatClient(CancelThenSay(cancellation, "The ACME invoice is due today.", "m1"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await RunAsync(folder.Store, TestAgents.Create(model, folder.Store), kind, cancellation.Token));

        Assert.Single(model.Calls);
        NothingWritten(folder);
    }

    [Fact]
    public async Task A_cancelled_turn_leaves_the_stored_conversation_as_it_was()
    {
        await using var folder = new AgentFolder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = new ScriptedChatClient(Say("Hello Ada.", "m1"), WaitForCancellation(started));
        var agent = TestAgents.Create(model, folder.Store);
        var first = await folder.Store.RunAsync(new ChatTurn(agent), "agent:main:main", "I am Ada.");
        var before = folder.TranscriptLines(first.SessionId);
        using var cancellation = new CancellationTokenSource();

        var run = folder.Store.RunAsync(new ChatTurn(agent), "agent:main:main", "And now?", cancellation.Token).AsTask();
        await started.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(before, folder.TranscriptLines(first.SessionId));
        Assert.Equal(2, (await folder.Store.ReadTranscriptAsync(first.SessionId))!.Messages.Count);
    }

    private static Task RunAsync(SessionStore store, Microsoft.Agents.AI.AIAgent agent, SessionKind kind, CancellationToken cancellationToken) => kind switch
    {
        SessionKind.User => store.RunAsync(new ChatTurn(agent), "agent:main:main", "Anything urgent?", cancellationToken).AsTask(),
        SessionKind.Heartbeat => store.RunAsync(new InboxCheck(agent), "agent:main:heartbeat", cancellationToken: cancellationToken).AsTask(),
        SessionKind.Cron => store.RunAsync(new MorningBrief(agent), "agent:main:cron:brief", cancellationToken: cancellationToken).AsTask(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
