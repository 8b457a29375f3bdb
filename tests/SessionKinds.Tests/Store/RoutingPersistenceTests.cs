using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Every row of the routing table (DESIGN §4), on disk, through typed tasks and explicit kinds.</summary>
public class RoutingPersistenceTests
{
    [Fact]
    public void Starting_a_session_writes_nothing()
    {
        using var f = new StoreFixture();
        var before = FolderSnapshot.Take(f.Temp.Root);

        var handle = f.Store.StartSession<ChatTurn>("agent:main:main", "hello");
        f.Store.StartSession(SessionKind.Heartbeat, "agent:main:heartbeat");

        Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.Root).Files);
        Assert.Equal(SessionKind.User, handle.Kind);
        Assert.True(Guid.TryParse(handle.SessionId, out _));
        Assert.Equal(Clock.Start, handle.StartedAt);
        Assert.Equal("TestAgent.ChatTurn", handle.Task!.Name);
    }

    [Theory]
    [InlineData(SessionKind.User, "Sure, booked for 9:00.")]
    [InlineData(SessionKind.Subagent, "Findings: three sources agree.")]
    [InlineData(SessionKind.Cron, "Morning brief: 3 meetings.")]
    [InlineData(SessionKind.User, "HEARTBEAT_OK")]
    [InlineData(SessionKind.Subagent, "")]
    public void Persisted_rows_write_an_entry_and_a_transcript(SessionKind kind, string reply)
    {
        using var f = new StoreFixture();
        var handle = f.Store.StartSession(kind, "agent:main:x", "What now?");
        f.Time.Advance(TimeSpan.FromSeconds(3));

        var outcome = f.Store.Complete(handle, reply);

        Assert.Equal(PersistTargets.SessionEntry | PersistTargets.Transcript, outcome.Written);
        Assert.Equal([outcome.SessionId + ".jsonl", "sessions.json"], f.DataFiles());
        var entry = Assert.Single(f.Store.ReadSessions());
        Assert.Equal("agent:main:x", entry.Key);
        Assert.Equal(outcome.SessionId, entry.SessionId);
        Assert.Equal(kind, entry.Kind);
        Assert.Equal(Clock.Start.AddSeconds(3), entry.UpdatedAt);
        Assert.Contains($"\"kind\": \"{SessionKindNames.ToName(kind)}\"", entry.Json, StringComparison.Ordinal);

        var transcript = f.Store.ReadTranscript(outcome.SessionId)!;
        Assert.Equal(new TranscriptHeader(outcome.SessionId, "agent:main:x", kind, Clock.Start), transcript.Header);
        Assert.Equal(
            [new TranscriptMessage("user", "What now?", Clock.Start), new TranscriptMessage("assistant", reply, Clock.Start.AddSeconds(3))],
            transcript.Messages);
        Assert.Equal(0, transcript.SkippedLines);
    }

    [Fact]
    public void Transcript_lines_have_the_documented_shape()
    {
        using var f = new StoreFixture();
        var outcome = f.Run(SessionKind.User, "k", "hi", prompt: "yo");

        var lines = File.ReadAllLines(f.Temp.File(outcome.SessionId + ".jsonl"));
        var start = Clock.Start.ToUnixTimeMilliseconds();
        Assert.Equal(
            [
                $"{{\"type\":\"session\",\"sessionId\":\"{outcome.SessionId}\",\"key\":\"k\",\"kind\":\"user\",\"ts\":{start}}}",
                $"{{\"type\":\"message\",\"role\":\"user\",\"content\":\"yo\",\"ts\":{start}}}",
                $"{{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"hi\",\"ts\":{start}}}",
            ],
            lines);
    }

    [Fact]
    public void Heartbeat_ack_writes_only_state_and_ring()
    {
        using var f = new StoreFixture();

        var outcome = f.Run<InboxCheck>("agent:main:heartbeat", "HEARTBEAT_OK");

        Assert.Equal(ReplyVerdict.Ack, outcome.Verdict);
        Assert.Equal(PersistTargets.HeartbeatState | PersistTargets.HeartbeatRing, outcome.Written);
        Assert.Equal(["heartbeat-ring.json", "heartbeat-state.json"], f.DataFiles());
        var state = f.Store.ReadHeartbeatState();
        Assert.Equal(Clock.Start, state.LastAck);
        Assert.Equal(1, state.ConsecutiveOks);
        Assert.Null(state.LastAlert);
        Assert.Equal(1, state.Tasks["TestAgent.InboxCheck"].ConsecutiveOks);
        var ring = f.Store.ReadHeartbeatRing();
        Assert.Equal(50, ring.MaxEntries);
        Assert.Equal("TestAgent.InboxCheck", ring.Task);
        Assert.Equal([new HeartbeatRingEntry(DateTimeOffset.FromUnixTimeSeconds(Clock.Start.ToUnixTimeSeconds()), HeartbeatResult.Ok, "")], ring.Entries);
    }

    [Fact]
    public void Heartbeat_alert_writes_entry_transcript_state_and_ring()
    {
        using var f = new StoreFixture();
        f.Run<InboxCheck>("agent:main:heartbeat", "HEARTBEAT_OK");
        f.Time.Advance(TimeSpan.FromMinutes(30));

        var reply = "Your 10:00 meeting moved to 11:00. " + new string('.', 300) + " HEARTBEAT_OK";
        var outcome = f.Run<InboxCheck>("agent:main:heartbeat", reply);

        Assert.Equal(ReplyVerdict.Alert, outcome.Verdict);
        Assert.Equal(PersistTargets.SessionEntry | PersistTargets.Transcript | PersistTargets.HeartbeatState | PersistTargets.HeartbeatRing, outcome.Written);
        Assert.Equal(SessionKind.Heartbeat, Assert.Single(f.Store.ReadSessions()).Kind);
        Assert.Equal(reply, f.Store.ReadTranscript(outcome.SessionId)!.Messages[^1].Content);
        var state = f.Store.ReadHeartbeatState();
        Assert.Equal(0, state.ConsecutiveOks);
        Assert.Equal(Clock.Start.AddMinutes(30), state.LastAlert);
        Assert.Equal(Clock.Start, state.LastAck);
        Assert.StartsWith("Your 10:00 meeting moved to 11:00.", state.LastAlertSummary, StringComparison.Ordinal);
        var alert = f.Store.ReadHeartbeatRing().Entries[^1];
        Assert.Equal(HeartbeatResult.Alert, alert.Result);
        Assert.Equal(outcome.Summary, alert.Summary);
        Assert.DoesNotContain("HEARTBEAT_OK", alert.Summary, StringComparison.Ordinal);
        Assert.True(alert.Summary.Length <= SessionRoutes.SummaryMaxChars);
    }

    [Theory]
    [InlineData("NO_REPLY")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("HEARTBEAT_OK")]
    public void Silent_cron_writes_nothing(string reply)
    {
        using var f = new StoreFixture();
        var before = FolderSnapshot.Take(f.Temp.Root);

        var typed = f.Run<MorningBrief>("agent:main:cron:brief", reply);
        var explicitKind = f.Run(SessionKind.Cron, "agent:main:cron:other", reply);

        Assert.Equal(ReplyVerdict.Silent, typed.Verdict);
        Assert.Equal(PersistTargets.None, typed.Written);
        Assert.Equal(PersistTargets.None, explicitKind.Written);
        Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.Root).Files);
    }

    [Fact]
    public void Typed_tasks_route_like_their_kind()
    {
        using var f = new StoreFixture();

        Assert.Equal(ReplyVerdict.Conversation, f.Run<ChatTurn>("a:user", "hi").Verdict);
        Assert.Equal(ReplyVerdict.Conversation, f.Run<Research>("a:sub", "done").Verdict);
        Assert.Equal(ReplyVerdict.Output, f.Run<MorningBrief>("a:cron", "brief").Verdict);

        Assert.Equal(
            [("a:user", SessionKind.User), ("a:sub", SessionKind.Subagent), ("a:cron", SessionKind.Cron)],
            f.Store.ReadSessions().Select(e => (e.Key, e.Kind)));
    }

    [Fact]
    public async Task RunAsync_runs_the_task_and_persists_its_reply()
    {
        using var f = new StoreFixture();
        var task = new ChatTurn();

        var outcome = await f.Store.RunAsync(task, "agent:main:main", "book a table");

        var transcript = f.Store.ReadTranscript(outcome.SessionId)!;
        Assert.Equal("You said: book a table", transcript.Messages[^1].Content);
        var ack = await f.Store.RunAsync(new InboxCheck(), "agent:main:heartbeat");
        Assert.Equal(ReplyVerdict.Ack, ack.Verdict);
        Assert.Single(f.Store.ReadSessions());
    }

    [Fact]
    public async Task RunAsync_writes_nothing_when_the_task_throws()
    {
        using var f = new StoreFixture();
        var before = FolderSnapshot.Take(f.Temp.Root);
        var task = new ChatTurn { Answer = _ => throw new TimeoutException("model timed out") };

        await Assert.ThrowsAsync<TimeoutException>(async () => await f.Store.RunAsync(task, "agent:main:main", "hi"));

        Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.Root).Files);
    }

    [Fact]
    public void A_key_that_exists_continues_its_session()
    {
        using var f = new StoreFixture();
        var first = f.Run(SessionKind.User, "agent:main:main", "one", prompt: "1");
        f.Time.Advance(TimeSpan.FromMinutes(5));

        var second = f.Run(SessionKind.User, "agent:main:main", "two", prompt: "2");

        Assert.Equal(first.SessionId, second.SessionId);
        Assert.False(first.ContinuedExistingSession);
        Assert.True(second.ContinuedExistingSession);
        var entry = Assert.Single(f.Store.ReadSessions());
        Assert.Equal(Clock.Start.AddMinutes(5), entry.UpdatedAt);
        var transcript = f.Store.ReadTranscript(first.SessionId)!;
        Assert.Equal(["1", "one", "2", "two"], transcript.Messages.Select(m => m.Content));
        Assert.Single(File.ReadAllLines(f.Temp.File(first.SessionId + ".jsonl")), line => line.Contains("\"type\":\"session\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_session_is_completed_once()
    {
        using var f = new StoreFixture();
        var handle = f.Store.StartSession(SessionKind.User, "k");
        f.Store.Complete(handle, "first");

        var ex = Assert.Throws<InvalidOperationException>(() => f.Store.Complete(handle, "again"));

        Assert.Contains("already completed", ex.Message, StringComparison.Ordinal);
        Assert.True(handle.IsCompleted);
    }

    [Fact]
    public void A_handle_from_another_store_is_rejected()
    {
        using var a = new StoreFixture();
        using var b = new StoreFixture();
        var handle = a.Store.StartSession(SessionKind.User, "k");

        var ex = Assert.Throws<ArgumentException>(() => b.Store.Complete(handle, "x"));

        Assert.Contains(a.Store.Folder, ex.Message, StringComparison.Ordinal);
        Assert.Empty(b.DataFiles());
    }

    [Theory]
    [InlineData(SessionKind.Unspecified)]
    [InlineData((SessionKind)7)]
    public void An_explicit_session_needs_a_defined_kind(SessionKind kind)
    {
        using var f = new StoreFixture();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => f.Store.StartSession(kind, "agent:main:main"));

        Assert.Contains("SessionKind.User", ex.Message, StringComparison.Ordinal);
        Assert.Equal("kind", ex.ParamName);
    }

    [Fact]
    public void Registrations_start_sessions_of_their_task()
    {
        using var f = new StoreFixture();
        SessionTaskRegistration[] registry = [SessionTaskRegistration.For<ChatTurn>(), SessionTaskRegistration.For<InboxCheck>()];

        var chat = registry[0].StartSession(f.Store, "agent:main:main", "hi");
        var heartbeat = registry[1].StartSession(f.Store, "agent:main:hb", null);

        Assert.Equal(typeof(ChatTurn), registry[0].TaskType);
        Assert.Equal(SessionKind.User, registry[0].Info.Kind);
        Assert.Equal(SessionKind.User, chat.Kind);
        Assert.Equal(SessionKind.Heartbeat, heartbeat.Kind);
        Assert.Equal(ReplyVerdict.Ack, f.Store.Complete(heartbeat, "HEARTBEAT_OK").Verdict);
    }

    [Fact]
    public void A_task_with_invalid_heartbeat_settings_is_refused_before_anything_is_written()
    {
        using var f = new StoreFixture();

        var ex = Assert.Throws<InvalidOperationException>(() => f.Store.StartSession<BrokenRingTask>("k"));

        Assert.Contains("TestAgent.BrokenRingTask", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RingFile", ex.Message, StringComparison.Ordinal);
        Assert.Empty(f.DataFiles());
        Assert.False(File.Exists(Path.Combine(f.Temp.Root, "escape.json")));
    }
}
