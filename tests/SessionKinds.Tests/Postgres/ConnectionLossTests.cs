using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using SessionKinds.Tests.Postgres;
using TestAgent;

namespace SessionKinds.Tests.PostgresEngine;

/// <summary>
/// A connection that drops while a completion commits — its server process ended by another connection, the server
/// crashing, the writer process killed — leaves nothing half written: the transaction rolls back whole, the error names
/// the server and says what happened, and the session can be completed again (or, when the server cannot tell whether
/// COMMIT landed, the session counts as completed so it is never written twice).
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class ConnectionLossTests
{
    [SkippableTheory]
    [InlineData("continued user session")]
    [InlineData("heartbeat alert")]
    [InlineData("heartbeat ack")]
    [InlineData("cron output")]
    public async Task A_connection_ended_just_before_COMMIT_rolls_the_whole_completion_back_and_says_so(string completion)
    {
        await using var s = PostgresTestSupport.Create();
        var agent = s.Agent();
        await SeedAsync(s);
        var before = await s.SnapshotAsync();
        var handle = Start(s.Store, completion);
        s.Time.Advance(TimeSpan.FromMinutes(1));

        SessionStoreException error;
        var terminated = 0;
        using (agent.BeforeCommit(async pid =>
        {
            Assert.True(await agent.ScalarAsync<bool>("SELECT pg_terminate_backend($1)", pid));
            terminated++;
        }))
        {
            error = await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await s.Store.CompleteAsync(handle, Reply(completion)));
        }

        Assert.Equal(1, terminated);
        Assert.IsNotType<SessionStoreCommitUnconfirmedException>(error);
        Assert.Contains($"127.0.0.1:{PostgresServerOrSkip.Get().Port}/{PostgresTestServer.Database}", error.Message, StringComparison.Ordinal);
        Assert.Contains("lost while committing", error.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back, so nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Contains(agent.AgentId, error.Location, StringComparison.Ordinal);
        Assert.False(handle.IsCompleted);
        await s.AssertUnchangedSinceAsync(before, $"{completion}: the connection was ended before COMMIT");

        // The same session completes now, once.
        var outcome = await s.Store.CompleteAsync(handle, Reply(completion));
        Assert.True(handle.IsCompleted);
        Assert.NotNull((await s.SnapshotAsync()).DifferenceFrom(before));
        if (outcome.Written.HasFlag(PersistTargets.Transcript))
        {
            Assert.Single((await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages, m => m.Content == Reply(completion));
        }

        Assert.Empty(await agent.FindIntegrityProblemsAsync());
    }

    [SkippableFact]
    public async Task A_server_that_crashes_during_COMMIT_and_comes_back_reports_the_completion_rolled_back()
    {
        PostgresServerOrSkip.Get();
        using var server = PostgresTestServer.Start(durable: true); // a crash keeps what was committed
        await using var store = await OpenAsync(server);
        await store.CompleteAsync(store.StartSession<ChatTurn>("agent:main:main", "hello"), "hi");
        var handle = store.StartSession<ChatTurn>("agent:main:main", "and now?");

        Task? restart = null;
        SessionStoreException error;
        using (Hooks.BeforeCommit(_ =>
        {
            server.Crash();
            restart = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                server.Restart(durable: true);
            });
            return default;
        }))
        {
            error = await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await store.CompleteAsync(handle, "the crash reply"));
        }

        await restart!;
        Assert.IsNotType<SessionStoreCommitUnconfirmedException>(error);
        Assert.Contains("the server reports the transaction rolled back", error.Message, StringComparison.Ordinal);
        Assert.False(handle.IsCompleted);
        var sessionId = (await store.FindSessionAsync("agent:main:main"))!.SessionId!;
        Assert.Equal(["hello", "hi"], (await store.ReadTranscriptAsync(sessionId))!.Messages.Select(m => m.Content));
        await store.CompleteAsync(handle, "after the restart");
        Assert.Equal(["hello", "hi", "and now?", "after the restart"], (await store.ReadTranscriptAsync(sessionId))!.Messages.Select(m => m.Content));
    }

    [SkippableFact]
    public async Task A_server_that_stays_down_after_a_crash_during_COMMIT_leaves_the_completion_unconfirmed_and_never_written_twice()
    {
        PostgresServerOrSkip.Get();
        using var server = PostgresTestServer.Start(durable: true); // a crash keeps what was committed
        await using var store = await OpenAsync(server);
        var handle = store.StartSession<ChatTurn>("agent:main:main", "hello");

        SessionStoreCommitUnconfirmedException error;
        using (Hooks.BeforeCommit(_ =>
        {
            server.Crash();
            return default;
        }))
        {
            error = await Assert.ThrowsAsync<SessionStoreCommitUnconfirmedException>(async () => await store.CompleteAsync(handle, "reply"));
        }

        Assert.Contains($"127.0.0.1:{server.Port}/{PostgresTestServer.Database}", error.Message, StringComparison.Ordinal);
        Assert.Contains("could not tell whether it landed", error.Message, StringComparison.Ordinal);
        Assert.True(handle.IsCompleted, "an unconfirmed completion counts as completed");
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CompleteAsync(handle, "reply"));

        // Once the server is back, the store shows what landed: here nothing (COMMIT never reached the server).
        server.Restart(durable: true);
        Assert.Null(await store.FindSessionAsync("agent:main:main"));
    }

    [SkippableTheory]
    [InlineData(SessionKinds.PostgreSql.CommitSteps.Sessions)]
    [InlineData(SessionKinds.PostgreSql.CommitSteps.TranscriptEvents)]
    [InlineData(SessionKinds.PostgreSql.CommitSteps.HeartbeatState)]
    [InlineData(SessionKinds.PostgreSql.CommitSteps.RingEntries)]
    public async Task A_writer_process_killed_mid_commit_leaves_nothing_of_it_and_holds_no_lock(string step)
    {
        await using var s = PostgresTestSupport.Create();
        var agent = s.Agent();
        await SeedAsync(s);
        var before = await s.SnapshotAsync();

        using var child = RunningWriter.Start(WriterChild.Arguments("die-at", agent, step, "agent:main:ledger"));
        var exit = await child.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(exit.ExitCode is not 0 and not 1 and not 2, $"the writer was not killed at {step}: exit {exit.ExitCode}, {string.Join(" | ", exit.Lines)} {exit.Error}");
        Assert.StartsWith("begin ", Assert.Single(exit.Lines), StringComparison.Ordinal);

        // The server rolled the dead connection's transaction back: nothing of it, no lock left once it noticed.
        await WaitUntilAsync(async () => (await agent.FindIntegrityProblemsAsync()).Count == 0);
        await s.AssertUnchangedSinceAsync(before, $"the writer was killed at {step}");
        using var released = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using (await agent.HoldWriteLockAsync(released.Token))
        {
        }

        // The key is free again: another node completes it.
        var outcome = await s.RunAsync(SessionKind.User, "agent:main:ledger", "after the kill");
        Assert.False(outcome.ContinuedExistingSession);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(100);
        }
    }

    private static async Task SeedAsync(StoreUnderTest s)
    {
        await s.RunAsync<ChatTurn>("agent:main:main", "hello");
        await s.RunAsync<InboxCheck>("agent:main:hb", "Disk 97% full");
        await s.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        await s.RunAsync<MorningBrief>("cron:brief", "Brief");
    }

    private static SessionHandle Start(SessionStore store, string completion) => completion switch
    {
        "continued user session" => store.StartSession<ChatTurn>("agent:main:main", "more"),
        "heartbeat alert" => store.StartSession<InboxCheck>("agent:main:hb"),
        "heartbeat ack" => store.StartSession<InboxCheck>("agent:main:hb"),
        _ => store.StartSession<MorningBrief>("cron:brief", "brief"),
    };

    private static string Reply(string completion) => completion switch
    {
        "heartbeat ack" => "HEARTBEAT_OK",
        "heartbeat alert" => "Disk 99% full",
        "cron output" => "Brief: 2 meetings",
        _ => "sure",
    };

    private static ValueTask<PostgresSessionStore> OpenAsync(PostgresTestServer server) => PostgresSessionStore.OpenAsync(new PostgresSessionStoreOptions
    {
        ConnectionString = server.ConnectionString(),
        AgentId = "main",
        LockTimeout = TimeSpan.FromSeconds(30),
    });
}

/// <summary>Commit hooks for stores opened outside the engine harness.</summary>
internal static class Hooks
{
    public static IDisposable BeforeCommit(Func<int, ValueTask> beforeCommit)
    {
        var previous = SessionKinds.PostgreSql.CommitHooks.Current.Value;
        SessionKinds.PostgreSql.CommitHooks.Current.Value = new SessionKinds.PostgreSql.CommitHooks { BeforeCommit = beforeCommit };
        return new Restore(() => SessionKinds.PostgreSql.CommitHooks.Current.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
