using System.Text;
using System.Text.Json;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Files;

/// <summary>
/// Files other tools wrote, or wrote oddly, that still parse: fields the store does not know are kept, odd values are
/// repaired as documented (on <c>ReadHeartbeatStateAsync</c>, <c>ReadHeartbeatRingAsync</c> and the file formats), a BOM
/// is accepted, a duplicate key reads as its last value like in any JSON reader. Never a crash.
/// </summary>
public sealed class FileRepairTests
{
    [Fact]
    public async Task Sessions_json_keeps_key_order_and_entries_written_by_other_tools_byte_for_byte()
    {
        await using var f = FolderUnderTest.Create();
        const string Foreign = """
            {"z-first": {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d", "kind": "user", "updatedAt": 1,   "x": [1,2]},
             "a-second":{"odd":"spacing"},
                "m-third": 3}
            """;
        File.WriteAllText(f.SessionsPath, Foreign);

        await f.RunAsync(SessionKind.User, "new", "hi");
        await f.RunAsync(SessionKind.User, "z-first", "hi");

        Assert.Equal(["z-first", "a-second", "m-third", "new"], (await f.Store.ReadSessionsAsync()).Select(e => e.Key));
        var text = File.ReadAllText(f.SessionsPath);
        Assert.Contains("\"a-second\": {\"odd\":\"spacing\"}", text, StringComparison.Ordinal);
        Assert.Contains("\"m-third\": 3", text, StringComparison.Ordinal);
        Assert.Contains("\"x\": [1,2]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_key_in_sessions_json_reads_as_its_last_value_and_keeps_its_first_position()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.SessionsPath, """
            {"a": {"sessionId": "11111111-1111-4111-8111-111111111111", "kind": "user", "updatedAt": 1},
             "b": {"sessionId": "22222222-2222-4222-8222-222222222222", "kind": "user", "updatedAt": 2},
             "a": {"sessionId": "33333333-3333-4333-8333-333333333333", "kind": "user", "updatedAt": 3}}
            """);

        var entries = await f.Store.ReadSessionsAsync();
        var outcome = await f.RunAsync(SessionKind.User, "a", "x");

        Assert.Equal(["a", "b"], entries.Select(e => e.Key));
        Assert.Equal("33333333-3333-4333-8333-333333333333", entries[0].SessionId);
        Assert.Equal("33333333-3333-4333-8333-333333333333", outcome.SessionId);
        using var json = f.ReadJson("sessions.json");
        Assert.Equal(["a", "b"], json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_accepted_on_every_file_and_not_written_back()
    {
        await using var f = FolderUnderTest.Create();
        byte[] bom = [0xEF, 0xBB, 0xBF];
        File.WriteAllBytes(f.SessionsPath, [.. bom, .. """{"k": {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d", "kind": "user", "updatedAt": 1}}"""u8]);
        File.WriteAllBytes(f.StatePath, [.. bom, .. """{"lastAck": 1735700000000, "consecutiveOKs": 4, "mine": true}"""u8]);
        File.WriteAllBytes(f.RingPath, [.. bom, .. """{"maxEntries": 50, "entries": [{"ts": 1735700000, "result": "alert", "summary": "before"}]}"""u8]);
        File.WriteAllBytes(f.CronRunsPath, [.. bom, .. """{"maxEntries": 100, "runs": [{"ts": 1735700000, "task": "TestAgent.MorningBrief", "verdict": "silent", "summary": "", "durationMs": 5}]}"""u8]);
        File.WriteAllBytes(f.File("0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d.jsonl"), [.. bom, .. "{\"type\":\"session\",\"sessionId\":\"0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d\",\"key\":\"k\",\"kind\":\"user\",\"ts\":1}\n"u8]);

        Assert.Equal(4, (await f.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Equal("before", Assert.Single((await f.Store.ReadHeartbeatRingAsync()).Entries).Summary);
        Assert.Single((await f.Store.ReadCronRunsAsync()).Runs);
        Assert.Equal("k", (await f.Store.ReadTranscriptAsync("0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d"))!.Header!.Key);
        await f.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        await f.RunAsync<MorningBrief>("k", "Brief");

        Assert.Equal(5, (await f.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Equal(["before", ""], (await f.Store.ReadHeartbeatRingAsync()).Entries.Select(e => e.Summary));
        Assert.Equal(2, (await f.Store.ReadCronRunsAsync()).Runs.Count);
        Assert.Equal(["Brief"], (await f.Store.ReadTranscriptAsync("0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d"))!.Messages.Where(m => m.Role == "assistant").Select(m => m.Content));
        foreach (var path in new[] { f.SessionsPath, f.StatePath, f.RingPath, f.CronRunsPath })
        {
            Assert.Equal((byte)'{', File.ReadAllBytes(path)[0]);
        }

        Assert.Contains("\"mine\": true", File.ReadAllText(f.StatePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_keys_in_heartbeat_files_read_as_the_last_value_and_are_written_once_at_the_first_position()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.StatePath, """{"consecutiveOKs": 100, "lastAck": 1735700000000, "consecutiveOKs": 7}""");
        File.WriteAllText(f.RingPath, """
            {"maxEntries": 50,
             "entries": [{"ts": 1735700000, "result": "ok", "summary": "shadowed"}],
             "task": "TestAgent.InboxCheck",
             "entries": [{"ts": 1735700001, "result": "alert", "summary": "visible"}]}
            """);

        using (var json = f.ReadJson("heartbeat-state.json"))
        {
            Assert.Equal(7, json.RootElement.EnumerateObject().Last(p => p.Name == "consecutiveOKs").Value.GetInt32());
        }

        Assert.Equal(7, (await f.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Equal(["visible"], (await f.Store.ReadHeartbeatRingAsync()).Entries.Select(e => e.Summary));
        await f.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");

        Assert.Equal(8, (await f.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Equal(["visible", ""], (await f.Store.ReadHeartbeatRingAsync()).Entries.Select(e => e.Summary));
        using var ring = f.ReadJson("heartbeat-ring.json");
        Assert.Equal(["maxEntries", "entries", "task"], ring.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Heartbeat_state_ring_and_cron_run_record_keep_fields_and_entries_they_do_not_own()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.StatePath, """{"lastAck": 1, "consecutiveOKs": 4, "gatewayVersion": {"v": [1, 2.0]}, "tasks": {"Other.Task": {"consecutiveOKs": 9, "x": 1e2}}}""");
        File.WriteAllText(f.RingPath, """{"maxEntries": 50, "label": "mine", "entries": [{"ts": 5, "result": "ok", "summary": "", "extra": [1,2]}]}""");
        File.WriteAllText(f.CronRunsPath, """{"maxEntries": 100, "host": "gw-1", "runs": [{"ts": 5, "task": "Other.Job", "verdict": "failed", "summary": "x", "durationMs": 1, "exitCode": 3}, 42, {"task": "TestAgent.MorningBrief", "verdict": "exploded"}]}""");

        await f.RunAsync<InboxCheck>("agent:main:heartbeat", "HEARTBEAT_OK");
        await f.RunAsync<MorningBrief>("cron:brief", "NO_REPLY");

        var state = File.ReadAllText(f.StatePath);
        Assert.Contains("\"gatewayVersion\": {\"v\": [1, 2.0]}", state, StringComparison.Ordinal);
        Assert.Contains("\"Other.Task\": {\"consecutiveOKs\": 9, \"x\": 1e2}", state, StringComparison.Ordinal);
        Assert.Equal(5, (await f.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Equal(9, (await f.Store.ReadHeartbeatStateAsync()).Tasks["Other.Task"].ConsecutiveOks);
        var ring = File.ReadAllText(f.RingPath);
        Assert.Contains("\"label\": \"mine\"", ring, StringComparison.Ordinal);
        Assert.Contains("{\"ts\": 5, \"result\": \"ok\", \"summary\": \"\", \"extra\": [1,2]}", ring, StringComparison.Ordinal);

        // Runs that cannot be read are skipped by readers, kept by writers, and count toward no task's bound.
        var runs = File.ReadAllText(f.CronRunsPath);
        Assert.Contains("\"host\": \"gw-1\"", runs, StringComparison.Ordinal);
        Assert.Contains("\"exitCode\": 3}", runs, StringComparison.Ordinal);
        Assert.Contains("    42,", runs, StringComparison.Ordinal);
        Assert.Contains("\"verdict\": \"exploded\"", runs, StringComparison.Ordinal);
        Assert.Equal(["Other.Job", "TestAgent.MorningBrief"], (await f.Store.ReadCronRunsAsync()).Runs.Select(r => r.Task));
    }

    [Theory]
    [InlineData("""{"lastAck": -5, "consecutiveOKs": -3, "lastAlert": 1e300}""", 1)]
    [InlineData("""{"lastAck": "yesterday", "consecutiveOKs": "many", "lastAlert": true}""", 1)]
    [InlineData("""{"lastAck": 99999999999999999999, "consecutiveOKs": 1.5, "lastAlert": null}""", 1)]
    [InlineData("""{"lastAck": 1735700000000, "consecutiveOKs": 41, "tasks": "oops"}""", 42)]
    [InlineData("""{"lastAck": 1735700000000, "consecutiveOKs": 2147483647}""", 2147483647)]
    [InlineData("""{"consecutiveOKs": 4294967296}""", 1)]
    [InlineData("""{"consecutiveOKs": 7.0, "tasks": {"TestAgent.InboxCheck": [1, 2]}}""", 8)]
    [InlineData("""{"lastAck": 1e400, "consecutiveOKs": -1e400}""", 1)]
    [InlineData("""{"lastAck": -0, "consecutiveOKs": 0.0000001}""", 1)]
    [InlineData("""{"lastAck": 123456789012345678901234567890123456789012345678901234567890, "consecutiveOKs": 99999999999999999999999999999999999}""", 1)]
    [InlineData("""{"lastAck": 253402300800000, "consecutiveOKs": 2147483646, "lastAlert": -9223372036854775808}""", 2147483647)]
    public async Task Absurd_values_in_the_heartbeat_state_are_repaired_not_fatal(string content, int expectedCount)
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.StatePath, content);

        var read = await f.Store.ReadHeartbeatStateAsync();
        await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");

        Assert.InRange(read.ConsecutiveOks, 0, int.MaxValue);
        var state = await f.Store.ReadHeartbeatStateAsync();
        Assert.Equal(expectedCount, state.ConsecutiveOks);
        Assert.Equal(Clock.Start, state.LastAck);
        Assert.Null(state.LastAlert);
        Assert.Equal(1, state.Tasks["TestAgent.InboxCheck"].ConsecutiveOks);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("\"fifty\"")]
    [InlineData("2")]
    [InlineData("1e9")]
    [InlineData("null")]
    public async Task A_bad_max_entries_is_repaired_by_readers_and_writers(string maxEntries)
    {
        await using var f = FolderUnderTest.Create();
        var entries = string.Join(", ", Enumerable.Range(1, 4).Select(i => $$"""{"ts": {{1700000000 + i}}, "result": "ok", "summary": "e{{i}}"}"""));
        File.WriteAllText(f.File("heartbeat-ring-disk.json"), $$"""{"maxEntries": {{maxEntries}}, "task": "TestAgent.DiskCheck", "entries": [{{entries}}]}""");

        // Reader rule: an invalid maxEntries reads as the entries present; a too-small one caps the entries returned.
        var read = await f.Store.ReadHeartbeatRingAsync("heartbeat-ring-disk.json");
        var expectedMax = maxEntries == "2" ? 2 : 4;
        Assert.Equal(expectedMax, read.MaxEntries);
        Assert.Equal(Enumerable.Range(5 - expectedMax, expectedMax).Select(i => $"e{i}"), read.Entries.Select(e => e.Summary));

        // Writer rule: the task's RingSize wins and the ring is trimmed to it.
        await DiskCheck.OpenHeartbeatRing(f.Store).AppendOkAsync("new");
        var written = await f.Store.ReadHeartbeatRingAsync("heartbeat-ring-disk.json");
        Assert.Equal(5, written.MaxEntries);
        Assert.Equal(["e1", "e2", "e3", "e4", "new"], written.Entries.Select(e => e.Summary));
    }

    [Fact]
    public async Task Ring_entries_with_wrong_types_are_skipped_by_readers_and_kept_by_writers()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.RingPath, """{"maxEntries": 50, "entries": [42, {"ts": "soon", "result": "ok", "summary": 7}, {"ts": 1, "result": "maybe"}]}""");

        var entry = Assert.Single((await f.Store.ReadHeartbeatRingAsync()).Entries);
        Assert.Equal((DateTimeOffset.UnixEpoch, string.Empty), (entry.Timestamp, entry.Summary));
        await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");

        using var json = f.ReadJson("heartbeat-ring.json");
        Assert.Equal(4, json.RootElement.GetProperty("entries").GetArrayLength());
        Assert.Equal(2, (await f.Store.ReadHeartbeatRingAsync()).Entries.Count);
    }

    [Fact]
    public async Task A_ring_without_an_owner_is_adopted_by_the_first_task_that_writes_it()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.RingPath, """{"maxEntries": 50, "entries": [{"ts": 1700000000, "result": "ok", "summary": ""}]}""");
        Assert.Null((await f.Store.ReadHeartbeatRingAsync()).Task);

        await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");

        var ring = await f.Store.ReadHeartbeatRingAsync();
        Assert.Equal(("TestAgent.InboxCheck", 2), (ring.Task, ring.Entries.Count));
        await Assert.ThrowsAsync<HeartbeatRingOwnershipException>(async () => await f.RunAsync<CalendarCheck>("cal", "HEARTBEAT_OK"));
    }

    [Fact]
    public async Task A_ring_changed_by_another_writer_between_appends_is_read_again()
    {
        await using var f = FolderUnderTest.Create();
        var ring = DiskCheck.OpenHeartbeatRing(f.Store);
        await ring.AppendOkAsync("one");
        var path = f.Store.RingPath("heartbeat-ring-disk.json");

        // Another tool rewrites the ring with the same length: a new summary, then a field of its own.
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"one\"", "\"two\"", StringComparison.Ordinal));
        await ring.AppendOkAsync("three");
        Assert.Equal(["two", "three"], (await ring.ReadAsync()).Entries.Select(e => e.Summary));

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"maxEntries\"", "\"tool\": 1, \"maxEntries\"", StringComparison.Ordinal));
        await ring.AppendOkAsync("four");
        Assert.Contains("\"tool\": 1", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(["two", "three", "four"], (await ring.ReadAsync()).Entries.Select(e => e.Summary));

        // A second store on the folder writes between this store's appends.
        await DiskCheck.OpenHeartbeatRing(f.Open()).AppendOkAsync("five");
        await ring.AppendOkAsync("six");
        Assert.Equal(["two", "three", "four", "five", "six"], (await ring.ReadAsync()).Entries.Select(e => e.Summary));
    }

    [Fact]
    public async Task A_ring_append_that_fails_leaves_the_store_reading_the_file_again()
    {
        await using var f = FolderUnderTest.Create();
        var ring = DiskCheck.OpenHeartbeatRing(f.Store);
        await ring.AppendOkAsync("one");
        using (f.Agent.FailAt(f.Agent.Engine.CommitSteps.Single(s => s.Holds == PersistTargets.HeartbeatRing)))
        {
            await Assert.ThrowsAsync<SessionStoreException>(async () => await ring.AppendOkAsync("lost"));
        }

        await ring.AppendOkAsync("two");

        Assert.Equal(["one", "two"], (await ring.ReadAsync()).Entries.Select(e => e.Summary));
    }

    [Fact]
    public async Task Wrong_field_types_in_sessions_json_are_read_leniently_and_archived_as_they_were()
    {
        await using var f = FolderUnderTest.Create(o =>
        {
            o.RotateAtBytes = 1_500;
            o.EntriesKeptAfterRotation = 3;
        });
        const string Content = """
            {
              "number": 42,
              "array": [1, {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d"}],
              "null": null,
              "types": {"sessionId": 7, "kind": {"user": true}, "updatedAt": "yesterday", "label": "keep me"},
              "more": {"sessionId": ["0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d"], "kind": 1, "updatedAt": 1.5e300},
              "good": {"sessionId": "6c1f4b2e-0000-4000-8000-00000000abcd", "kind": "user", "updatedAt": 1735700000000}
            }
            """;
        File.WriteAllText(f.SessionsPath, Content);
        var original = RawEntries(Content);

        var entries = await f.Store.ReadSessionsAsync();
        Assert.Equal(["number", "array", "null", "types", "more", "good"], entries.Select(e => e.Key));
        Assert.All(entries.Take(5), e => Assert.Equal((null, SessionKind.Unspecified, null), (e.SessionId, e.Kind, e.UpdatedAt)));
        await f.RunAsync(SessionKind.User, "types", "hi");

        // A rotation archives every one of them as it was (entries without a valid updatedAt count as the oldest).
        string? archive = null;
        for (var i = 0; archive is null; i++)
        {
            Assert.True(i < 100);
            archive = (await f.RunAsync(SessionKind.User, $"new:{i}", "r")).ArchivePath;
        }

        var archived = RawEntries(Encoding.UTF8.GetString(Engines.FolderAudit.Gunzip(File.ReadAllBytes(archive))));
        foreach (var key in new[] { "number", "array", "null", "more", "good" })
        {
            Assert.Equal(original[key], archived[key]);
        }

        Assert.DoesNotContain("number", RawEntries(File.ReadAllText(f.SessionsPath)).Keys);
    }

    [Fact]
    public async Task Unpaired_surrogate_escapes_inside_entries_and_heartbeat_files_are_kept_raw_and_break_nothing()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.SessionsPath, """{"a": {"\udc00": 1, "sessionId": "\ud800"}, "b": {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d", "note": "\ud83d"}}""");
        File.WriteAllText(f.StatePath, """{"lastAlertSummary": "\ud800", "consecutiveOKs": 2, "tasks": {"TestAgent.InboxCheck": {"x": "\udfff"}}}""");
        File.WriteAllText(f.RingPath, """{"maxEntries": 50, "entries": [{"ts": 1, "result": "ok", "summary": "\ud800"}]}""");

        var entries = await f.Store.ReadSessionsAsync();
        var outcome = await f.RunAsync(SessionKind.User, "a", "hi");
        await f.RunAsync(SessionKind.User, "b", "hi");
        await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");

        Assert.Equal(2, entries.Count);
        Assert.Null(entries[0].SessionId);
        Assert.False(outcome.ContinuedExistingSession);
        Assert.Contains("\"note\": \"\\ud83d\"", File.ReadAllText(f.SessionsPath), StringComparison.Ordinal);
        Assert.Equal(3, (await f.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Equal(2, (await f.Store.ReadHeartbeatRingAsync()).Entries.Count);
    }

    [Fact]
    public async Task A_cron_run_record_with_a_bad_max_entries_is_rewritten_with_the_stores_bound()
    {
        await using var f = FolderUnderTest.Create(o => o.CronRunsToKeep = 2);
        File.WriteAllText(f.CronRunsPath, """{"maxEntries": "many", "runs": [{"ts": 1, "task": "TestAgent.MorningBrief", "verdict": "output", "summary": "a", "durationMs": -5}, {"ts": -1, "task": "TestAgent.MorningBrief", "verdict": "silent", "summary": 7, "durationMs": "x"}]}""");

        var read = await f.Store.ReadCronRunsAsync();
        await f.RunAsync<MorningBrief>("cron:brief", "");

        Assert.Equal(0, read.MaxEntries);
        Assert.Equal(
            [new CronRun(DateTimeOffset.FromUnixTimeSeconds(1), "TestAgent.MorningBrief", CronRunVerdict.Output, "a", TimeSpan.Zero), new CronRun(DateTimeOffset.UnixEpoch, "TestAgent.MorningBrief", CronRunVerdict.Silent, "", TimeSpan.Zero)],
            read.Runs);
        var after = await f.Store.ReadCronRunsAsync();
        Assert.Equal(2, after.MaxEntries);
        Assert.Equal([CronRunVerdict.Silent, CronRunVerdict.Silent], after.Runs.Select(r => r.Verdict));
    }

    private static Dictionary<string, string> RawEntries(string json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            result[property.Name] = property.Value.GetRawText();
        }

        return result;
    }
}
