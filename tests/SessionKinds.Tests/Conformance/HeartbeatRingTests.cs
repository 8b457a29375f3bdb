using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// A fixed-size ring per heartbeat task: never more than its size (as stored, not only as read), oldest first, a ring
/// size change adopted, and two tasks never overwrite each other's history.
/// </summary>
public sealed class HeartbeatRingTests
{
    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task The_generated_writer_is_bound_to_the_tasks_ring_and_size_and_keeps_the_newest_oldest_first(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var ring = DiskCheck.OpenHeartbeatRing(s.Store);
        Assert.Equal(("heartbeat-ring-disk.json", 5, "TestAgent.DiskCheck"), (ring.RingFile, ring.RingSize, ring.TaskName));

        var appended = new List<HeartbeatRingEntry>();
        for (var i = 0; i < 12; i++)
        {
            s.Time.Advance(TimeSpan.FromMinutes(1));
            var entry = i % 2 == 0 ? await ring.AppendOkAsync() : await ring.AppendAlertAsync($"disk {90 + i}% full");
            Assert.Equal(new HeartbeatRingEntry(Clock.WholeSeconds(s.Time.GetUtcNow()), i % 2 == 0 ? HeartbeatResult.Ok : HeartbeatResult.Alert, i % 2 == 0 ? "" : $"disk {90 + i}% full"), entry);
            appended.Add(entry);

            // As stored, not only as read: never more entries than the ring's size.
            Assert.Equal((5, Math.Min(i + 1, 5)), await s.Agent.CountStoredRingEntriesAsync("heartbeat-ring-disk.json"));
        }

        var read = await ring.ReadAsync();
        Assert.Equal(new HeartbeatRing("heartbeat-ring-disk.json", 5, "TestAgent.DiskCheck", read.Entries), read);
        Assert.Equal(appended.TakeLast(5), read.Entries);
        Assert.Equal(read.Entries, (await s.Store.HeartbeatRing<DiskCheck>().ReadAsync()).Entries);

        // The ring writer records history only: no session, no heartbeat state.
        Assert.Empty(await s.Store.ReadSessionsAsync());
        Assert.Empty((await s.Store.ReadHeartbeatStateAsync()).Tasks);
        Assert.Equal(0, (await s.Store.ReadHeartbeatRingAsync()).MaxEntries);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Ring_summaries_are_shortened_and_made_safe(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var ring = InboxCheck.OpenHeartbeatRing(s.Store);

        var long_ = await ring.AppendAlertAsync("  " + new string('x', 500) + "  ");
        var broken = await ring.AppendOkAsync("half an emoji \uD83D");

        Assert.Equal(SessionRoutes.SummaryMaxChars, long_.Summary.Length);
        Assert.EndsWith("…", long_.Summary, StringComparison.Ordinal);
        Assert.Equal("half an emoji \uFFFD", broken.Summary);
        Assert.Equal([long_, broken], (await ring.ReadAsync()).Entries);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_ring_owned_by_another_task_is_refused_and_nothing_of_the_completion_is_written(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        await s.RunAsync<InboxCheck>("agent:main:inbox", "HEARTBEAT_OK");
        var before = await s.SnapshotAsync();

        var alert = s.Store.StartSession<CalendarCheck>("agent:main:calendar");
        var ex = await Assert.ThrowsAsync<HeartbeatRingOwnershipException>(async () => await s.Store.CompleteAsync(alert, "Meeting moved to 11:00, long text " + new string('x', 400)));

        Assert.Equal(("TestAgent.InboxCheck", "TestAgent.CalendarCheck"), (ex.OwnerTask, ex.RequestingTask));
        Assert.Contains("heartbeat-ring.json", ex.Location, StringComparison.Ordinal);
        Assert.Contains(ex.Location, ex.Message, StringComparison.Ordinal);
        Assert.Contains("TestAgent.InboxCheck", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[HeartbeatSession(RingFile = \"calendar-check-ring.json\")] on TestAgent.CalendarCheck", ex.Message, StringComparison.Ordinal);
        Assert.False(alert.IsCompleted);

        // Not the ring, not the state, not the alert's session or transcript; the ring writer is refused the same way.
        await Assert.ThrowsAsync<HeartbeatRingOwnershipException>(async () => await s.Store.CompleteAsync(s.Store.StartSession<CalendarCheck>("agent:main:calendar"), "HEARTBEAT_OK"));
        await Assert.ThrowsAsync<HeartbeatRingOwnershipException>(async () => await CalendarCheck.OpenHeartbeatRing(s.Store).AppendOkAsync());
        await s.AssertUnchangedSinceAsync(before, "a ring owned by another task is never written");
        Assert.Equal("TestAgent.InboxCheck", (await s.Store.ReadHeartbeatRingAsync()).Task);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Explicit_kind_heartbeats_own_the_default_ring_under_their_own_name(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        await s.RunAsync(SessionKind.Heartbeat, "agent:main:hb", "HEARTBEAT_OK");
        Assert.Equal("SessionKind.Heartbeat", (await s.Store.ReadHeartbeatRingAsync()).Task);
        Assert.Equal(1, (await s.Store.ReadHeartbeatStateAsync()).Tasks["SessionKind.Heartbeat"].ConsecutiveOks);
        var before = await s.SnapshotAsync();

        // A generated task on the default ring conflicts with explicit-kind heartbeats, and is told what to change.
        var ex = await Assert.ThrowsAsync<HeartbeatRingOwnershipException>(async () => await s.RunAsync<InboxCheck>("agent:main:inbox", "HEARTBEAT_OK"));
        Assert.Equal(("SessionKind.Heartbeat", "TestAgent.InboxCheck"), (ex.OwnerTask, ex.RequestingTask));
        Assert.Contains("[HeartbeatSession(RingFile = \"inbox-check-ring.json\")] on TestAgent.InboxCheck", ex.Message, StringComparison.Ordinal);
        await s.AssertUnchangedSinceAsync(before, "a ring owned by another task is never written");

        // A generated task with its own ring coexists.
        await s.RunAsync<DiskCheck>("agent:main:disk", "HEARTBEAT_OK");
        Assert.Single((await s.Store.ReadHeartbeatRingAsync("heartbeat-ring-disk.json")).Entries);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task An_explicit_kind_heartbeat_refused_by_a_tasks_ring_is_told_to_move_that_task(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        await s.RunAsync<InboxCheck>("agent:main:inbox", "HEARTBEAT_OK");

        var ex = await Assert.ThrowsAsync<HeartbeatRingOwnershipException>(async () => await s.RunAsync(SessionKind.Heartbeat, "agent:main:hb", "HEARTBEAT_OK"));

        // Explicit-kind heartbeats cannot choose a ring, so the advice is for the task that owns the default one.
        Assert.Equal(("TestAgent.InboxCheck", "SessionKind.Heartbeat"), (ex.OwnerTask, ex.RequestingTask));
        Assert.Contains("[HeartbeatSession(RingFile = \"inbox-check-ring.json\")] on TestAgent.InboxCheck", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("] on SessionKind.Heartbeat", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_ring_size_change_is_adopted_dropping_the_oldest_entries(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var ring = DiskCheck.OpenHeartbeatRing(s.Store);
        for (var i = 0; i < 5; i++)
        {
            s.Time.Advance(TimeSpan.FromMinutes(1));
            await ring.AppendAlertAsync($"alert {i}");
        }

        // DiskCheck after a code change lowered its RingSize to 3.
        s.Time.Advance(TimeSpan.FromMinutes(1));
#pragma warning disable SKND0002 // A hand-written second version of DiskCheck (see HandWrittenTasks.cs): one compilation cannot hold two.
        await s.Store.HeartbeatRing<DiskCheckAfterUpgrade>().AppendOkAsync("after upgrade");
        var smaller = await s.Store.CompleteAsync(s.Store.StartSession<DiskCheckAfterUpgrade>("agent:main:disk"), "HEARTBEAT_OK");
#pragma warning restore SKND0002

        var read = await s.Store.ReadHeartbeatRingAsync("heartbeat-ring-disk.json");
        Assert.Equal(3, read.MaxEntries);
        Assert.Equal(["alert 4", "after upgrade", ""], read.Entries.Select(e => e.Summary));
        Assert.Equal((3, 3), await s.Agent.CountStoredRingEntriesAsync("heartbeat-ring-disk.json"));
        Assert.Equal(ReplyVerdict.Ack, smaller.Verdict);

        // Back to 5: the ring grows again from what it kept.
        await ring.AppendOkAsync("back to five");
        read = await s.Store.ReadHeartbeatRingAsync("heartbeat-ring-disk.json");
        Assert.Equal(5, read.MaxEntries);
        Assert.Equal(["alert 4", "after upgrade", "", "back to five"], read.Entries.Select(e => e.Summary));
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Ring_names_that_are_not_plain_file_names_are_refused_for_reads(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var before = await s.SnapshotAsync();

        foreach (var name in new[] { "../ring.json", "/tmp/ring.json", "rings/heartbeat.json", "..\\heartbeat.json", "ring.json\0.txt", "sessions.json", "heartbeat-state.json", "cron-runs.json", ".sessionkinds.lock", "x.jsonl", "a.sktmp", "a:b.json", "nul.json", "aux.json", ".", "..", " ring.json", "", "sessions-2025-01-02T03-04-05Z.json.gz", "heartbeat-ring.json.corrupt-2025", new string('r', 129) + ".json" })
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await s.Store.ReadHeartbeatRingAsync(name));
            Assert.Equal("ringFile", ex.ParamName);
        }

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await s.Store.ReadHeartbeatRingAsync(null!));
        await s.AssertUnchangedSinceAsync(before, "refused ring names are never read or written");
    }
}
