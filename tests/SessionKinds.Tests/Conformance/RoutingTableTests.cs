using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// Every row of the routing table, through generated tasks and explicit kinds, on every engine: exactly what
/// <see cref="SessionOutcome.Written"/> says is written, and it reads back; nothing else is.
/// </summary>
public sealed class RoutingTableTests
{
    private const PersistTargets Session = PersistTargets.SessionEntry | PersistTargets.Transcript;
    private const PersistTargets HeartbeatParts = PersistTargets.HeartbeatState | PersistTargets.HeartbeatRing;
    private const string Key = "agent:main:x";
    private const string Prompt = "What now?";

    /// <summary>One row of the table: how the session starts, its reply, and what it must write.</summary>
    private sealed record Row(
        Func<SessionStore, SessionHandle> Start,
        string Reply,
        ReplyVerdict Verdict,
        PersistTargets Written,
        SessionKind Kind,
        string? Task,
        string? Owner,
        string? Ring,
        int RingSize = 0);

    private static readonly Dictionary<string, Row> Rows = new()
    {
        ["user, generated task"] = new(s => s.StartSession<ChatTurn>(Key, Prompt), "Sure, booked for 9:00.", ReplyVerdict.Conversation, Session, SessionKind.User, "TestAgent.ChatTurn", null, null),
        ["user, explicit kind"] = new(s => s.StartSession(SessionKind.User, Key, Prompt), "Sure, booked for 9:00.", ReplyVerdict.Conversation, Session, SessionKind.User, null, null, null),
        ["user replying the ack token"] = new(s => s.StartSession<ChatTurn>(Key, Prompt), HeartbeatAck.Token, ReplyVerdict.Conversation, Session, SessionKind.User, "TestAgent.ChatTurn", null, null),
        ["subagent, generated task"] = new(s => s.StartSession<Research>(Key, Prompt), "Findings: three sources agree.", ReplyVerdict.Conversation, Session, SessionKind.Subagent, "TestAgent.Research", null, null),
        ["subagent, explicit kind, empty reply"] = new(s => s.StartSession(SessionKind.Subagent, Key, Prompt), "", ReplyVerdict.Conversation, Session, SessionKind.Subagent, null, null, null),
        ["subagent replying NO_REPLY"] = new(s => s.StartSession<Research>(Key, Prompt), CronReply.NoReplyToken, ReplyVerdict.Conversation, Session, SessionKind.Subagent, "TestAgent.Research", null, null),
        ["heartbeat ack, generated task"] = new(s => s.StartSession<InboxCheck>(Key, Prompt), HeartbeatAck.Token, ReplyVerdict.Ack, HeartbeatParts, SessionKind.Heartbeat, "TestAgent.InboxCheck", "TestAgent.InboxCheck", "heartbeat-ring.json", 50),
        ["heartbeat ack with a note, generated task"] = new(s => s.StartSession<InboxCheck>(Key, Prompt), "**HEARTBEAT_OK** inbox empty", ReplyVerdict.Ack, HeartbeatParts, SessionKind.Heartbeat, "TestAgent.InboxCheck", "TestAgent.InboxCheck", "heartbeat-ring.json", 50),
        ["heartbeat ack, own ring"] = new(s => s.StartSession<DiskCheck>(Key, Prompt), "HEARTBEAT_OK.", ReplyVerdict.Ack, HeartbeatParts, SessionKind.Heartbeat, "TestAgent.DiskCheck", "TestAgent.DiskCheck", "heartbeat-ring-disk.json", 5),
        ["heartbeat ack, explicit kind"] = new(s => s.StartSession(SessionKind.Heartbeat, Key, Prompt), HeartbeatAck.Token, ReplyVerdict.Ack, HeartbeatParts, SessionKind.Heartbeat, null, "SessionKind.Heartbeat", "heartbeat-ring.json", 50),
        ["heartbeat alert, generated task"] = new(s => s.StartSession<InboxCheck>(Key, Prompt), "Your 10:00 meeting moved to 11:00.", ReplyVerdict.Alert, Session | HeartbeatParts, SessionKind.Heartbeat, "TestAgent.InboxCheck", "TestAgent.InboxCheck", "heartbeat-ring.json", 50),
        ["heartbeat alert, long text beside the token"] = new(s => s.StartSession<InboxCheck>(Key, Prompt), "Your 10:00 meeting moved to 11:00. " + new string('.', 300) + " HEARTBEAT_OK", ReplyVerdict.Alert, Session | HeartbeatParts, SessionKind.Heartbeat, "TestAgent.InboxCheck", "TestAgent.InboxCheck", "heartbeat-ring.json", 50),
        ["heartbeat alert past the task's AckMaxChars"] = new(s => s.StartSession<DiskCheck>(Key, Prompt), "HEARTBEAT_OK but /var is 91% full now", ReplyVerdict.Alert, Session | HeartbeatParts, SessionKind.Heartbeat, "TestAgent.DiskCheck", "TestAgent.DiskCheck", "heartbeat-ring-disk.json", 5),
        ["heartbeat alert, explicit kind"] = new(s => s.StartSession(SessionKind.Heartbeat, Key, Prompt), "The server is down!", ReplyVerdict.Alert, Session | HeartbeatParts, SessionKind.Heartbeat, null, "SessionKind.Heartbeat", "heartbeat-ring.json", 50),
        ["cron output, generated task"] = new(s => s.StartSession<MorningBrief>(Key, Prompt), "Morning brief: 3 meetings.", ReplyVerdict.Output, Session | PersistTargets.CronRun, SessionKind.Cron, "TestAgent.MorningBrief", "TestAgent.MorningBrief", null),
        ["cron output, explicit kind"] = new(s => s.StartSession(SessionKind.Cron, Key, Prompt), "Morning brief: 3 meetings.", ReplyVerdict.Output, Session | PersistTargets.CronRun, SessionKind.Cron, null, "SessionKind.Cron", null),
        ["cron silent NO_REPLY, generated task"] = new(s => s.StartSession<MorningBrief>(Key, Prompt), "NO_REPLY", ReplyVerdict.Silent, PersistTargets.CronRun, SessionKind.Cron, "TestAgent.MorningBrief", "TestAgent.MorningBrief", null),
        ["cron silent no_reply in another case"] = new(s => s.StartSession<MorningBrief>(Key, Prompt), " no_reply ", ReplyVerdict.Silent, PersistTargets.CronRun, SessionKind.Cron, "TestAgent.MorningBrief", "TestAgent.MorningBrief", null),
        ["cron silent empty, explicit kind"] = new(s => s.StartSession(SessionKind.Cron, Key, Prompt), "", ReplyVerdict.Silent, PersistTargets.CronRun, SessionKind.Cron, null, "SessionKind.Cron", null),
        ["cron silent white space, explicit kind"] = new(s => s.StartSession(SessionKind.Cron, Key, Prompt), "  \n ", ReplyVerdict.Silent, PersistTargets.CronRun, SessionKind.Cron, null, "SessionKind.Cron", null),
        ["cron silent ack token"] = new(s => s.StartSession<MorningBrief>(Key, Prompt), HeartbeatAck.Token, ReplyVerdict.Silent, PersistTargets.CronRun, SessionKind.Cron, "TestAgent.MorningBrief", "TestAgent.MorningBrief", null),
    };

    public static TheoryData<string, string> EnginesAndRows()
    {
        var data = new TheoryData<string, string>();
        foreach (var engine in StoreEngines.Registered)
        {
            foreach (var row in Rows.Keys)
            {
                data.Add(engine.Name, row);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesAndRows))]
    public async Task Each_row_writes_exactly_its_targets_and_they_read_back(string engine, string rowName)
    {
        var row = Rows[rowName];
        await using var s = StoreUnderTest.Create(engine);
        var handle = row.Start(s.Store);
        Assert.Equal(row.Kind, handle.Kind);
        Assert.Equal(row.Task, handle.Task?.Name);
        s.Time.Advance(TimeSpan.FromSeconds(3));
        var completedAt = s.Time.GetUtcNow();

        var outcome = await s.Store.CompleteAsync(handle, row.Reply);

        Assert.Equal((row.Verdict, row.Written, row.Kind, Key), (outcome.Verdict, outcome.Written, outcome.Kind, outcome.Key));
        Assert.Equal(handle.SessionId, outcome.SessionId);
        Assert.False(outcome.ContinuedExistingSession);
        Assert.True(handle.IsCompleted);

        // The session entry and transcript: present exactly when the route writes them.
        var entries = await s.Store.ReadSessionsAsync();
        var transcript = await s.Store.ReadTranscriptAsync(outcome.SessionId);
        if ((row.Written & PersistTargets.SessionEntry) != 0)
        {
            var entry = Assert.Single(entries);
            Assert.Equal((Key, outcome.SessionId, row.Kind, completedAt), (entry.Key, entry.SessionId, entry.Kind, entry.UpdatedAt));
            Assert.Equal(entry, await s.Store.FindSessionAsync(Key));
            Assert.NotNull(transcript);
            Assert.Equal(new TranscriptHeader(outcome.SessionId, Key, row.Kind, Clock.Start), transcript.Header);
            Assert.Equal([new TranscriptMessage("user", Prompt, Clock.Start), new TranscriptMessage("assistant", row.Reply, completedAt)], transcript.Messages);
            Assert.Equal(0, transcript.SkippedLines);
        }
        else
        {
            Assert.Empty(entries);
            Assert.Null(await s.Store.FindSessionAsync(Key));
            Assert.Null(transcript);
        }

        // The heartbeat state: agent-wide and under the owning task.
        var state = await s.Store.ReadHeartbeatStateAsync();
        if ((row.Written & PersistTargets.HeartbeatState) != 0)
        {
            var isAck = row.Verdict == ReplyVerdict.Ack;
            Assert.Equal(isAck ? completedAt : null, state.LastAck);
            Assert.Equal(isAck ? 1 : 0, state.ConsecutiveOks);
            Assert.Equal(isAck ? null : completedAt, state.LastAlert);
            Assert.Equal(isAck ? null : outcome.Summary, state.LastAlertSummary);
            var task = Assert.Single(state.Tasks);
            Assert.Equal(row.Owner, task.Key);
            Assert.Equal(new HeartbeatTaskState(state.LastAck, state.ConsecutiveOks, state.LastAlert), task.Value);
        }
        else
        {
            AssertNoHeartbeatState(state);
        }

        // The ring: one entry, to the second, with the route's summary (empty for a bare ack).
        if ((row.Written & PersistTargets.HeartbeatRing) != 0)
        {
            var ring = await s.Store.ReadHeartbeatRingAsync(row.Ring!);
            Assert.Equal((row.Ring, row.RingSize, row.Owner), (ring.RingFile, ring.MaxEntries, ring.Task));
            var result = row.Verdict == ReplyVerdict.Ack ? HeartbeatResult.Ok : HeartbeatResult.Alert;
            Assert.Equal([new HeartbeatRingEntry(Clock.WholeSeconds(completedAt), result, outcome.Summary ?? "")], ring.Entries);
        }

        foreach (var ringFile in new[] { HeartbeatSessionAttribute.DefaultRingFile, "heartbeat-ring-disk.json" }.Where(r => (row.Written & PersistTargets.HeartbeatRing) == 0 || r != row.Ring))
        {
            Assert.Equal(new HeartbeatRing(ringFile, 0, null, []), await s.Store.ReadHeartbeatRingAsync(ringFile));
        }

        // The cron run record: one run, its verdict, summary and duration.
        var runs = await s.Store.ReadCronRunsAsync();
        if ((row.Written & PersistTargets.CronRun) != 0)
        {
            Assert.Equal(SessionStoreOptions.DefaultCronRunsToKeep, runs.MaxEntries);
            var verdict = row.Verdict == ReplyVerdict.Output ? CronRunVerdict.Output : CronRunVerdict.Silent;
            var summary = row.Verdict == ReplyVerdict.Output ? outcome.Summary! : row.Reply.Trim();
            Assert.Equal([new CronRun(Clock.WholeSeconds(completedAt), row.Owner!, verdict, summary, TimeSpan.FromSeconds(3))], runs.Runs);
        }
        else
        {
            Assert.Equal(0, runs.MaxEntries);
            Assert.Empty(runs.Runs);
        }
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Starting_a_session_writes_nothing(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var before = await s.SnapshotAsync();

        var handle = s.Store.StartSession<ChatTurn>("agent:main:main", "hello");
        s.Store.StartSession(SessionKind.Heartbeat, "agent:main:heartbeat");
        s.Store.StartSession<MorningBrief>("cron:brief");

        await s.AssertUnchangedSinceAsync(before, "starting sessions must write nothing");
        Assert.Equal(SessionKind.User, handle.Kind);
        Assert.True(Guid.TryParseExact(handle.SessionId, "D", out _));
        Assert.Equal(Clock.Start, handle.StartedAt);
        Assert.Equal("TestAgent.ChatTurn", handle.Task!.Name);
        Assert.Equal("hello", handle.Prompt);
        Assert.False(handle.IsCompleted);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_thousand_acks_never_create_an_entry_or_a_transcript(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        await s.RunAsync(SessionKind.User, "agent:main:main", "Booked.");
        await s.RunAsync<Research>("agent:main:sub:1", "Findings.");
        var alert = await s.RunAsync<InboxCheck>("agent:main:heartbeat", "The server is down! Nothing responds on port 443.");
        var entries = await s.Store.ReadSessionsAsync();
        var transcript = await s.Store.ReadTranscriptAsync(alert.SessionId);

        for (var i = 0; i < 1000; i++)
        {
            s.Time.Advance(TimeSpan.FromMinutes(30));
            var outcome = await s.RunAsync<InboxCheck>(i % 2 == 0 ? "agent:main:heartbeat" : $"agent:main:heartbeat:{i}", i % 3 == 0 ? "HEARTBEAT_OK" : "**HEARTBEAT_OK** nothing new");
            Assert.Equal(ReplyVerdict.Ack, outcome.Verdict);
            Assert.Null(await s.Store.ReadTranscriptAsync(outcome.SessionId));
        }

        // Entries and the alert's transcript are as they were, even the heartbeat key's own.
        Assert.Equal(entries, await s.Store.ReadSessionsAsync());
        var transcriptAfter = (await s.Store.ReadTranscriptAsync(alert.SessionId))!;
        Assert.Equal((transcript!.Header, transcript.SkippedLines), (transcriptAfter.Header, transcriptAfter.SkippedLines));
        Assert.Equal(transcript.Messages, transcriptAfter.Messages);
        var state = await s.Store.ReadHeartbeatStateAsync();
        Assert.Equal((1000, s.Time.GetUtcNow()), (state.ConsecutiveOks, state.LastAck));
        Assert.Equal(1000, state.Tasks["TestAgent.InboxCheck"].ConsecutiveOks);

        // The ring keeps the newest 50, oldest first, 30 minutes apart.
        var ring = await s.Store.ReadHeartbeatRingAsync();
        Assert.Equal((50, 50), (ring.MaxEntries, ring.Entries.Count));
        Assert.All(ring.Entries, e => Assert.Equal(HeartbeatResult.Ok, e.Result));
        Assert.Equal(Clock.WholeSeconds(s.Time.GetUtcNow()), ring.Entries[^1].Timestamp);
        Assert.All(ring.Entries.Skip(1).Zip(ring.Entries), pair => Assert.Equal(TimeSpan.FromMinutes(30), pair.First.Timestamp - pair.Second.Timestamp));
        Assert.Equal((50, 50), await s.Agent.CountStoredRingEntriesAsync(HeartbeatSessionAttribute.DefaultRingFile));
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task An_alert_resets_consecutive_oks_and_later_acks_count_again(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        await s.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");
        await s.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");
        Assert.Equal(2, (await s.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        s.Time.Advance(TimeSpan.FromMinutes(1));
        await s.RunAsync<InboxCheck>("hb", "Flight cancelled");
        var afterAlert = await s.Store.ReadHeartbeatStateAsync();
        s.Time.Advance(TimeSpan.FromMinutes(1));
        await s.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");

        Assert.Equal(0, afterAlert.ConsecutiveOks);
        var state = await s.Store.ReadHeartbeatStateAsync();
        Assert.Equal(1, state.ConsecutiveOks);
        Assert.Equal(Clock.Start.AddMinutes(1), state.LastAlert);
        Assert.Equal(Clock.Start.AddMinutes(2), state.LastAck);
        Assert.Equal("Flight cancelled", state.LastAlertSummary);
        Assert.Equal(new HeartbeatTaskState(Clock.Start.AddMinutes(2), 1, Clock.Start.AddMinutes(1)), state.Tasks["TestAgent.InboxCheck"]);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Heartbeat_tasks_keep_their_own_figures_and_share_the_agent_wide_ones(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        await s.RunAsync<InboxCheck>("inbox", "HEARTBEAT_OK");
        await s.RunAsync<InboxCheck>("inbox", "HEARTBEAT_OK");
        s.Time.Advance(TimeSpan.FromMinutes(1));
        await s.RunAsync<DiskCheck>("disk", "Disk 97% full, clean up /var/log now");

        var state = await s.Store.ReadHeartbeatStateAsync();
        Assert.Equal(0, state.ConsecutiveOks);
        Assert.Equal("Disk 97% full, clean up /var/log now", state.LastAlertSummary);
        Assert.Equal(new HeartbeatTaskState(Clock.Start, 2, null), state.Tasks["TestAgent.InboxCheck"]);
        Assert.Equal(new HeartbeatTaskState(null, 0, Clock.Start.AddMinutes(1)), state.Tasks["TestAgent.DiskCheck"]);
        Assert.Equal(2, state.Tasks.Count);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Nothing_recorded_reads_as_empty(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);

        Assert.Empty(await s.Store.ReadSessionsAsync());
        Assert.Null(await s.Store.FindSessionAsync("agent:main:main"));
        Assert.Null(await s.Store.ReadTranscriptAsync(Guid.NewGuid().ToString()));
        AssertNoHeartbeatState(await s.Store.ReadHeartbeatStateAsync());
        Assert.Equal(new HeartbeatRing("heartbeat-ring.json", 0, null, []), await s.Store.ReadHeartbeatRingAsync());
        Assert.Empty((await s.Store.ReadCronRunsAsync()).Runs);
        Assert.Equal(0, (await s.Store.ReadCronRunsAsync()).MaxEntries);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_key_that_exists_continues_its_session(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var first = await s.RunAsync(SessionKind.User, "agent:main:main", "one", prompt: "1");
        s.Time.Advance(TimeSpan.FromMinutes(5));

        var second = await s.RunAsync<ChatTurn>("agent:main:main", "two", prompt: "2");
        s.Time.Advance(TimeSpan.FromMinutes(5));
        var third = await s.RunAsync<InboxCheck>("agent:main:main", "An alert under the same key");

        Assert.Equal([first.SessionId, first.SessionId], new[] { second.SessionId, third.SessionId });
        Assert.Equal((false, true, true), (first.ContinuedExistingSession, second.ContinuedExistingSession, third.ContinuedExistingSession));
        var entry = Assert.Single(await s.Store.ReadSessionsAsync());
        Assert.Equal((first.SessionId, Clock.Start.AddMinutes(10), SessionKind.Heartbeat), (entry.SessionId, entry.UpdatedAt, entry.Kind));
        var transcript = (await s.Store.ReadTranscriptAsync(first.SessionId))!;
        Assert.Equal(["1", "one", "2", "two", "prompt", "An alert under the same key"], transcript.Messages.Select(m => m.Content));
        Assert.Equal(new TranscriptHeader(first.SessionId, "agent:main:main", SessionKind.User, Clock.Start), transcript.Header);

        // An ack under that key touches neither its entry nor its transcript.
        await s.RunAsync<InboxCheck>("agent:main:main", "HEARTBEAT_OK");
        Assert.Equal(entry, Assert.Single(await s.Store.ReadSessionsAsync()));
        Assert.Equal(6, (await s.Store.ReadTranscriptAsync(first.SessionId))!.Messages.Count);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_session_without_a_prompt_records_only_the_reply(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);

        var outcome = await s.RunAsync(SessionKind.User, "k", "hi", prompt: null);

        Assert.Equal([new TranscriptMessage("assistant", "hi", Clock.Start)], (await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task RunAsync_runs_the_task_and_persists_its_reply_by_its_route(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);

        var chat = await s.Store.RunAsync(new ChatTurn(), "agent:main:main", "book a table");
        var ack = await s.Store.RunAsync(new InboxCheck(), "agent:main:heartbeat");
        var alert = await s.Store.RunAsync(new InboxCheck { Answer = c => $"Alert for {c.SessionKey}" }, "agent:main:heartbeat");
        var brief = await s.Store.RunAsync(new MorningBrief { Answer = (c, _) => new($"Brief at {c.StartedAt:HH:mm}") }, "cron:brief");

        Assert.Equal("You said: book a table", (await s.Store.ReadTranscriptAsync(chat.SessionId))!.Messages[^1].Content);
        Assert.Equal(ReplyVerdict.Ack, ack.Verdict);
        Assert.Equal("Alert for agent:main:heartbeat", alert.Summary);
        Assert.Equal("Brief at 03:04", brief.Summary);
        Assert.Equal(["agent:main:heartbeat", "agent:main:main", "cron:brief"], (await s.Store.ReadSessionsAsync()).Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task RunAsync_writes_nothing_when_a_task_throws_except_a_cron_tasks_failed_run(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var before = await s.SnapshotAsync();

        await Assert.ThrowsAsync<TimeoutException>(async () => await s.Store.RunAsync(new ChatTurn { Answer = _ => throw new TimeoutException("model timed out") }, "agent:main:main", "hi"));
        await Assert.ThrowsAsync<TimeoutException>(async () => await s.Store.RunAsync(new InboxCheck { Answer = _ => throw new TimeoutException("model timed out") }, "agent:main:hb"));
        await s.AssertUnchangedSinceAsync(before, "a user or heartbeat task that throws writes nothing");

        s.Time.Advance(TimeSpan.FromSeconds(5));
        var failing = new MorningBrief { Answer = (_, _) => throw new InvalidOperationException("the calendar API answered 503") };
        var start = s.Time.GetUtcNow();
        var run = s.Store.RunAsync(failing, "cron:brief");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await run);

        Assert.Equal("the calendar API answered 503", ex.Message);
        Assert.Empty(await s.Store.ReadSessionsAsync());
        Assert.Equal(
            [new CronRun(Clock.WholeSeconds(start), "TestAgent.MorningBrief", CronRunVerdict.Failed, "InvalidOperationException: the calendar API answered 503", TimeSpan.Zero)],
            (await s.Store.ReadCronRunsAsync()).Runs);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_handle_from_another_store_is_rejected_and_nothing_is_written(string engine)
    {
        await using var a = StoreUnderTest.Create(engine);
        await using var b = StoreUnderTest.Create(engine);
        var handle = a.Store.StartSession(SessionKind.User, "k");
        var before = await b.SnapshotAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await b.Store.CompleteAsync(handle, "x"));

        Assert.Equal("session", ex.ParamName);
        Assert.Contains(handle.SessionId, ex.Message, StringComparison.Ordinal);
        await b.AssertUnchangedSinceAsync(before, "a foreign handle is refused");
        Assert.False(handle.IsCompleted);
        await a.Store.CompleteAsync(handle, "x");
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task An_explicit_session_needs_a_defined_kind(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);

        foreach (var kind in new[] { SessionKind.Unspecified, (SessionKind)7, (SessionKind)(-1) })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => s.Store.StartSession(kind, "agent:main:main"));
            Assert.Equal("kind", ex.ParamName);
            Assert.Contains("SessionKind.User", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task The_generated_registry_starts_sessions_of_each_task(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var registry = SessionKinds.Generated.SessionTasks.All;

        Assert.Equal(
            ["TestAgent.CalendarCheck", "TestAgent.ChatTurn", "TestAgent.DiskCheck", "TestAgent.InboxCheck", "TestAgent.MorningBrief", "TestAgent.QueuePoll", "TestAgent.Research"],
            registry.Select(r => r.Info.Name).Order(StringComparer.Ordinal));
        var chat = registry.Single(r => r.TaskType == typeof(ChatTurn)).StartSession(s.Store, "agent:main:main", "hi");
        var heartbeat = registry.Single(r => r.TaskType == typeof(InboxCheck)).StartSession(s.Store, "agent:main:hb", null);

        Assert.Equal((SessionKind.User, SessionKind.Heartbeat), (chat.Kind, heartbeat.Kind));
        Assert.Equal(new HeartbeatSettings(50, 300, "heartbeat-ring.json"), registry.Single(r => r.TaskType == typeof(InboxCheck)).Info.Heartbeat);
        Assert.Equal("0 7 * * *", registry.Single(r => r.TaskType == typeof(MorningBrief)).Info.CronSchedule);
        Assert.Equal(ReplyVerdict.Ack, (await s.Store.CompleteAsync(heartbeat, "HEARTBEAT_OK")).Verdict);
        Assert.Equal(ReplyVerdict.Conversation, (await s.Store.CompleteAsync(chat, "hello")).Verdict);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Tasks_with_invalid_heartbeat_settings_are_refused_before_anything_is_written(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var before = await s.SnapshotAsync();

#pragma warning disable SKND0002 // Hand-written stand-ins the analyzers reject (see HandWrittenTasks.cs); the runtime must refuse them too.
        var escape = Assert.Throws<InvalidOperationException>(() => s.Store.StartSession<BrokenRingTask>("k"));
        var ring = Assert.Throws<InvalidOperationException>(() => s.Store.HeartbeatRing<BrokenRingTask>());
        var huge = Assert.Throws<InvalidOperationException>(() => s.Store.StartSession<HugeRingTask>("k"));
#pragma warning restore SKND0002

        Assert.Contains("TestAgent.BrokenRingTask", escape.Message, StringComparison.Ordinal);
        Assert.Contains("RingFile", escape.Message, StringComparison.Ordinal);
        Assert.Contains("not a plain file name", ring.Message, StringComparison.Ordinal);
        Assert.Contains("RingSize 10001 is not in 1..10000", huge.Message, StringComparison.Ordinal);
        await s.AssertUnchangedSinceAsync(before, "tasks with invalid settings are refused");
    }

    private static void AssertNoHeartbeatState(HeartbeatState state)
    {
        Assert.Equal((null, 0, null, null), (state.LastAck, state.ConsecutiveOks, state.LastAlert, state.LastAlertSummary));
        Assert.Empty(state.Tasks);
    }
}
