using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Layer 3: a fixed-size ring per heartbeat task; two tasks never overwrite each other's history.</summary>
public class HeartbeatRingTests
{
    [Fact]
    public void The_typed_writer_is_bound_to_the_tasks_file_and_size()
    {
        using var f = new StoreFixture();
        var ring = f.Store.HeartbeatRing<DiskCheck>();

        for (var i = 0; i < 7; i++)
        {
            f.Time.Advance(TimeSpan.FromMinutes(1));
            var entry = i % 2 == 0 ? ring.AppendOk() : ring.AppendAlert($"disk {90 + i}% full");
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(f.Time.GetUtcNow().ToUnixTimeSeconds()), entry.Timestamp);
        }

        Assert.Equal("heartbeat-ring-disk.json", ring.RingFile);
        Assert.Equal(f.Temp.File("heartbeat-ring-disk.json"), ring.RingPath);
        Assert.Equal(5, ring.RingSize);
        Assert.Equal("TestAgent.DiskCheck", ring.TaskName);
        var entries = ring.ReadEntries();
        Assert.Equal(5, entries.Count);
        Assert.Equal(
            [HeartbeatResult.Ok, HeartbeatResult.Alert, HeartbeatResult.Ok, HeartbeatResult.Alert, HeartbeatResult.Ok],
            entries.Select(e => e.Result));
        Assert.Equal("disk 93% full", entries[1].Summary);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(f.Time.GetUtcNow().ToUnixTimeSeconds()), entries[^1].Timestamp);
        Assert.False(File.Exists(f.RingPath));
    }

    [Fact]
    public void The_ring_file_has_the_documented_shape_with_epoch_seconds()
    {
        using var f = new StoreFixture();
        f.Store.HeartbeatRing<DiskCheck>().AppendAlert("Disk \"/\" at 97%");

        using var json = f.ReadJson("heartbeat-ring-disk.json");
        var root = json.RootElement;
        Assert.Equal(["maxEntries", "task", "entries"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(5, root.GetProperty("maxEntries").GetInt32());
        Assert.Equal("TestAgent.DiskCheck", root.GetProperty("task").GetString());
        var entry = Assert.Single(root.GetProperty("entries").EnumerateArray());
        Assert.Equal(["ts", "result", "summary"], entry.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Clock.Start.ToUnixTimeSeconds(), entry.GetProperty("ts").GetInt64());
        Assert.Equal("alert", entry.GetProperty("result").GetString());
        Assert.Equal("Disk \"/\" at 97%", entry.GetProperty("summary").GetString());
    }

    [Fact]
    public void A_ring_owned_by_another_task_is_never_overwritten()
    {
        using var f = new StoreFixture();
        f.Run<InboxCheck>("agent:main:inbox", "HEARTBEAT_OK");
        var ring = File.ReadAllBytes(f.RingPath);
        var state = File.ReadAllBytes(f.StatePath);

        var ex = Assert.Throws<HeartbeatRingOwnershipException>(() => f.Run<CalendarCheck>("agent:main:calendar", "Meeting moved to 11:00, long text " + new string('x', 400)));

        Assert.Equal(f.RingPath, ex.FilePath);
        Assert.Equal("TestAgent.InboxCheck", ex.OwnerTask);
        Assert.Equal("TestAgent.CalendarCheck", ex.RequestingTask);
        Assert.Contains(f.RingPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("TestAgent.InboxCheck", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TestAgent.CalendarCheck", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RingFile", ex.Message, StringComparison.Ordinal);

        // Nothing at all was written: not the ring, not the state, not the alert's session.
        Assert.Equal(ring, File.ReadAllBytes(f.RingPath));
        Assert.Equal(state, File.ReadAllBytes(f.StatePath));
        Assert.False(File.Exists(f.SessionsPath));
        Assert.Throws<HeartbeatRingOwnershipException>(() => f.Store.HeartbeatRing<CalendarCheck>().AppendOk());
    }

    [Fact]
    public void Explicit_kind_heartbeats_have_their_own_owner_name_on_the_default_ring()
    {
        using var f = new StoreFixture();
        f.Run(SessionKind.Heartbeat, "agent:main:hb", "HEARTBEAT_OK");
        Assert.Equal(HeartbeatRingNames.ExplicitKindOwner, f.Store.ReadHeartbeatRing().Task);
        Assert.Equal(1, f.Store.ReadHeartbeatState().Tasks[HeartbeatRingNames.ExplicitKindOwner].ConsecutiveOks);

        // A typed task on the default ring file conflicts with explicit-kind heartbeats, and is told what to change.
        var ex = Assert.Throws<HeartbeatRingOwnershipException>(() => f.Run<InboxCheck>("agent:main:inbox", "HEARTBEAT_OK"));
        Assert.Equal(HeartbeatRingNames.ExplicitKindOwner, ex.OwnerTask);

        // A typed task with its own ring file coexists.
        f.Run<DiskCheck>("agent:main:disk", "HEARTBEAT_OK");
        Assert.Single(f.Store.ReadHeartbeatRing("heartbeat-ring-disk.json").Entries);
    }

    [Fact]
    public void A_ring_without_an_owner_is_adopted()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.RingPath, """{"maxEntries": 50, "entries": [{"ts": 1700000000, "result": "ok", "summary": ""}]}""");

        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");

        var ring = f.Store.ReadHeartbeatRing();
        Assert.Equal("TestAgent.InboxCheck", ring.Task);
        Assert.Equal(2, ring.Entries.Count);
    }

    [Fact]
    public void A_smaller_ring_size_is_adopted_and_the_oldest_entries_dropped()
    {
        using var f = new StoreFixture();
        var big = f.Store.HeartbeatRing<DiskCheck>();
        for (var i = 0; i < 5; i++)
        {
            f.Time.Advance(TimeSpan.FromMinutes(1));
            big.AppendAlert($"alert {i}");
        }

        f.Time.Advance(TimeSpan.FromMinutes(1));
        f.Store.HeartbeatRing<DiskCheckSmallerRing>().AppendOk("after upgrade");

        var ring = f.Store.ReadHeartbeatRing("heartbeat-ring-disk.json");
        Assert.Equal(3, ring.MaxEntries);
        Assert.Equal(["alert 3", "alert 4", "after upgrade"], ring.Entries.Select(e => e.Summary));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("\"fifty\"")]
    [InlineData("2")]
    [InlineData("1e9")]
    public void Bad_max_entries_are_repaired(string maxEntries)
    {
        using var f = new StoreFixture();
        var entries = string.Join(", ", Enumerable.Range(1, 4).Select(i => $$"""{"ts": {{1700000000 + i}}, "result": "ok", "summary": "e{{i}}"}"""));
        File.WriteAllText(f.Temp.File("heartbeat-ring-disk.json"), $$"""{"maxEntries": {{maxEntries}}, "task": "TestAgent.DiskCheck", "entries": [{{entries}}]}""");

        // Reader rule: an invalid maxEntries reads as the entries present; a too-small one caps the entries returned.
        var read = f.Store.ReadHeartbeatRing("heartbeat-ring-disk.json");
        var expectedMax = maxEntries == "2" ? 2 : 4;
        Assert.Equal(expectedMax, read.MaxEntries);
        Assert.Equal(Enumerable.Range(5 - expectedMax, expectedMax).Select(i => $"e{i}"), read.Entries.Select(e => e.Summary));

        // Writer rule: the task's RingSize wins and the ring is trimmed to it.
        f.Time.Advance(TimeSpan.FromMinutes(1));
        f.Store.HeartbeatRing<DiskCheck>().AppendOk("new");
        var written = f.Store.ReadHeartbeatRing("heartbeat-ring-disk.json");
        Assert.Equal(5, written.MaxEntries);
        Assert.Equal(["e1", "e2", "e3", "e4", "new"], written.Entries.Select(e => e.Summary));
    }

    [Fact]
    public void Entries_with_wrong_types_are_skipped_by_readers_and_kept_by_writers()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.RingPath, """{"maxEntries": 50, "entries": [42, {"ts": "soon", "result": "ok", "summary": 7}, {"ts": 1, "result": "maybe"}]}""");

        var ring = f.Store.ReadHeartbeatRing();

        var entry = Assert.Single(ring.Entries);
        Assert.Equal(DateTimeOffset.UnixEpoch, entry.Timestamp);
        Assert.Equal(string.Empty, entry.Summary);
        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");
        using var json = f.ReadJson("heartbeat-ring.json");
        Assert.Equal(4, json.RootElement.GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public void A_ring_changed_by_another_writer_between_acks_is_read_again()
    {
        using var f = new StoreFixture();
        var ring = f.Store.HeartbeatRing<DiskCheck>();
        ring.AppendOk("one");
        var path = ring.RingPath;

        // Another tool rewrites the ring with the same length: a new summary and a field of its own.
        var changed = File.ReadAllText(path).Replace("\"one\"", "\"two\"", StringComparison.Ordinal);
        File.WriteAllText(path, changed);
        ring.AppendOk("three");
        Assert.Equal(["two", "three"], ring.ReadEntries().Select(e => e.Summary));

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"maxEntries\"", "\"tool\": 1, \"maxEntries\"", StringComparison.Ordinal));
        ring.AppendOk("four");
        Assert.Contains("\"tool\": 1", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(["two", "three", "four"], ring.ReadEntries().Select(e => e.Summary));
    }

    [Fact]
    public void Ring_entries_are_written_one_per_line()
    {
        using var f = new StoreFixture();
        var ring = f.Store.HeartbeatRing<DiskCheck>();
        ring.AppendOk();
        ring.AppendAlert("disk full");

        var lines = File.ReadAllLines(ring.RingPath);

        var ts = Clock.Start.ToUnixTimeSeconds();
        Assert.Contains($"    {{\"ts\":{ts},\"result\":\"ok\",\"summary\":\"\"}},", lines);
        Assert.Contains($"    {{\"ts\":{ts},\"result\":\"alert\",\"summary\":\"disk full\"}}", lines);
    }

    [Fact]
    public void A_missing_ring_reads_as_empty()
    {
        using var f = new StoreFixture();

        var ring = f.Store.ReadHeartbeatRing();

        Assert.Empty(ring.Entries);
        Assert.Equal(0, ring.MaxEntries);
        Assert.Null(ring.Task);
    }
}
