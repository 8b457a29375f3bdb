using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// A completion is one unit: its entry, transcript lines, heartbeat state, ring entry and run record all land, or none
/// does. A failure injected at each step of a commit leaves nothing of that completion visible; the session can be
/// completed again and the next completions work. A session completes once.
/// </summary>
public sealed class CompletionUnitTests
{
    /// <summary>Completions that touch different parts, on a store that already holds data in every part.</summary>
    private static readonly Dictionary<string, (Func<SessionStore, SessionHandle> Start, string Reply)> Completions = new()
    {
        ["new user session"] = (s => s.StartSession<ChatTurn>("agent:main:new", "hello"), "hi there"),
        ["continued user session"] = (s => s.StartSession<ChatTurn>("agent:main:main", "more"), "sure"),
        ["heartbeat ack"] = (s => s.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK"),
        ["heartbeat alert continuing its key"] = (s => s.StartSession<InboxCheck>("agent:main:hb"), "Disk 99% full"),
        ["heartbeat alert on a new key"] = (s => s.StartSession<InboxCheck>("agent:main:hb:2", "check"), "The build failed"),
        ["cron output"] = (s => s.StartSession<MorningBrief>("cron:brief", "brief"), "Brief: 3 meetings"),
        ["cron silent"] = (s => s.StartSession<MorningBrief>("cron:brief"), "NO_REPLY"),
    };

    public static TheoryData<string, string> EnginesAndCompletions()
    {
        var data = new TheoryData<string, string>();
        foreach (var engine in StoreEngines.Registered.Where(e => e.Lacks(StoreCapability.CommitFaults) is null))
        {
            foreach (var completion in Completions.Keys)
            {
                data.Add(engine.Name, completion);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesAndCompletions))]
    public async Task A_failure_at_any_step_leaves_nothing_of_the_completion_and_it_can_be_completed_again(string engine, string completion)
    {
        await using var s = StoreUnderTest.Create(engine);
        await SeedEveryPartAsync(s);
        var (start, reply) = Completions[completion];
        var failed = 0;

        foreach (var step in s.Engine.CommitSteps)
        {
            var before = await s.SnapshotAsync();
            var handle = start(s.Store);
            s.Time.Advance(TimeSpan.FromSeconds(1));

            // Whether this completion reaches the step: its route writes what the step holds.
            var touches = (Route(handle, reply) & step.Holds) != 0;
            SessionStoreException? error = null;
            using (s.Agent.FailAt(step))
            {
                try
                {
                    await s.Store.CompleteAsync(handle, reply);
                }
                catch (SessionStoreException ex)
                {
                    error = ex;
                }
            }

            if (!touches)
            {
                Assert.True(error is null, $"{completion} does not write {step}, yet failing it failed the completion: {error?.Message}");
                Assert.True(handle.IsCompleted);
                continue;
            }

            failed++;
            Assert.True(error is not null, $"{completion}: the failure injected at {step} did not fail the completion");
            Assert.False(handle.IsCompleted, $"{completion}: a failed completion (at {step}) counts as completed");
            await s.AssertUnchangedSinceAsync(before, $"{completion} failed at {step}");

            // The same session completes now, once, with everything its route writes.
            var outcome = await s.Store.CompleteAsync(handle, reply);
            Assert.True(handle.IsCompleted);
            await AssertLandedAsync(s, handle, outcome, reply);
        }

        Assert.True(failed > 0, $"no step of {engine}'s commits is reached by {completion}");

        // And the next completions work.
        Assert.Equal(ReplyVerdict.Alert, (await s.RunAsync<InboxCheck>("agent:main:hb", "after the failures")).Verdict);
        Assert.Equal(ReplyVerdict.Output, (await s.RunAsync<MorningBrief>("cron:brief", "after the failures")).Verdict);
        Assert.Empty(await s.Agent.FindIntegrityProblemsAsync());
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Completing_a_session_twice_is_refused_and_writes_nothing(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var handle = s.Store.StartSession<InboxCheck>("k");
        await s.Store.CompleteAsync(handle, "Disk full");
        var before = await s.SnapshotAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await s.Store.CompleteAsync(handle, "again"));
        var ack = s.Store.StartSession<InboxCheck>("k");
        await s.Store.CompleteAsync(ack, "HEARTBEAT_OK");
        var afterAck = await s.SnapshotAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await s.Store.CompleteAsync(ack, "HEARTBEAT_OK"));

        Assert.Contains("already completed", ex.Message, StringComparison.Ordinal);
        Assert.Contains(handle.SessionId, ex.Message, StringComparison.Ordinal);
        Assert.True(handle.IsCompleted);
        Assert.NotNull(before.DifferenceFrom(afterAck));
        await s.AssertUnchangedSinceAsync(afterAck, "a second completion is refused");
        Assert.Equal(2, (await s.Store.ReadHeartbeatRingAsync()).Entries.Count);
    }

    /// <summary>A user session, a heartbeat alert then an ack, cron output and a silent run: every part holds data.</summary>
    private static async Task SeedEveryPartAsync(StoreUnderTest s)
    {
        await s.RunAsync<ChatTurn>("agent:main:main", "hello");
        await s.RunAsync<InboxCheck>("agent:main:hb", "Disk 97% full");
        await s.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        await s.RunAsync<MorningBrief>("cron:brief", "Brief");
        await s.RunAsync<MorningBrief>("cron:brief", "NO_REPLY");
    }

    private static PersistTargets Route(SessionHandle handle, string reply) => handle.Kind switch
    {
        SessionKind.User => SessionRoutes.User(reply).Targets,
        SessionKind.Heartbeat => SessionRoutes.Heartbeat(reply, handle.Task!.Heartbeat!.AckMaxChars).Targets,
        SessionKind.Cron => SessionRoutes.Cron(reply).Targets,
        _ => SessionRoutes.Subagent(reply).Targets,
    };

    private static async Task AssertLandedAsync(StoreUnderTest s, SessionHandle handle, SessionOutcome outcome, string reply)
    {
        Assert.Equal(Route(handle, reply), outcome.Written);
        var now = s.Time.GetUtcNow();
        if (outcome.Written.HasFlag(PersistTargets.SessionEntry))
        {
            var entry = (await s.Store.FindSessionAsync(handle.Key))!;
            Assert.Equal((outcome.SessionId, now), (entry.SessionId, entry.UpdatedAt));
            var messages = (await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages;
            Assert.Equal(reply, messages[^1].Content);
            Assert.Single(messages, m => m.Content == reply && m.Timestamp == now);
        }

        if (outcome.Written.HasFlag(PersistTargets.HeartbeatState))
        {
            var state = await s.Store.ReadHeartbeatStateAsync();
            Assert.Equal(now, outcome.Verdict == ReplyVerdict.Ack ? state.LastAck : state.LastAlert);
        }

        if (outcome.Written.HasFlag(PersistTargets.HeartbeatRing))
        {
            Assert.Single((await s.Store.ReadHeartbeatRingAsync()).Entries, e => e.Timestamp == Clock.WholeSeconds(now));
        }

        if (outcome.Written.HasFlag(PersistTargets.CronRun))
        {
            Assert.Single((await s.Store.ReadCronRunsAsync()).Runs, r => r.Timestamp == Clock.WholeSeconds(now));
        }
    }
}
