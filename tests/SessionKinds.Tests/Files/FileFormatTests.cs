using System.Text;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Files;

/// <summary>
/// The exact bytes of an agent folder's files, which gateways and their tools read: <c>sessions.json</c>, transcripts,
/// <c>heartbeat-state.json</c>, rings and <c>cron-runs.json</c>.
/// </summary>
public sealed class FileFormatTests
{
    private static readonly long StartMs = Clock.Start.ToUnixTimeMilliseconds();
    private static readonly long StartS = Clock.Start.ToUnixTimeSeconds();

    [Fact]
    public async Task Sessions_json_is_indented_by_two_with_its_own_fields_first_and_new_keys_last()
    {
        await using var f = FolderUnderTest.Create();
        var a = await f.RunAsync(SessionKind.User, "agent:main:main", "hi");
        f.Time.Advance(TimeSpan.FromSeconds(1));
        var b = await f.RunAsync<MorningBrief>("cron:brief é", "Brief");
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.RunAsync(SessionKind.User, "agent:main:main", "again");

        Assert.Equal(
            $$"""
            {
              "agent:main:main": {
                "sessionId": "{{a.SessionId}}",
                "kind": "user",
                "updatedAt": {{StartMs + 2000}}
              },
              "cron:brief é": {
                "sessionId": "{{b.SessionId}}",
                "kind": "cron",
                "updatedAt": {{StartMs + 1000}}
              }
            }
            """,
            File.ReadAllText(f.SessionsPath));
    }

    [Fact]
    public async Task A_transcript_is_a_header_line_then_one_line_per_message()
    {
        await using var f = FolderUnderTest.Create();
        var outcome = await f.RunAsync(SessionKind.User, "k", "hi \"there\"", prompt: "yo");
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.Store.CompleteAsync(
            f.Store.StartSession(SessionKind.User, "k"),
            new TaskReply("done") { Messages = [new ReplyMessage("tool", "3 results", "{\"n\": 3,\n \"ok\": true}"), new ReplyMessage("assistant", "done")] });

        Assert.Equal(
            $$$"""
            {"type":"session","sessionId":"{{{outcome.SessionId}}}","key":"k","kind":"user","ts":{{{StartMs}}}}
            {"type":"message","role":"user","content":"yo","ts":{{{StartMs}}}}
            {"type":"message","role":"assistant","content":"hi \"there\"","ts":{{{StartMs}}}}
            {"type":"message","role":"tool","content":"3 results","ts":{{{StartMs + 1000}}},"data":{"n": 3,  "ok": true}}
            {"type":"message","role":"assistant","content":"done","ts":{{{StartMs + 1000}}}}

            """,
            File.ReadAllText(f.Store.TranscriptPath(outcome.SessionId)));
    }

    [Fact]
    public async Task The_heartbeat_state_has_agent_wide_figures_and_the_same_per_task_with_fields_in_first_written_order()
    {
        await using var f = FolderUnderTest.Create();
        await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");
        f.Time.Advance(TimeSpan.FromMinutes(30));
        await f.RunAsync<DiskCheck>("disk", "Disk 97% full, clean up /var/log now");
        f.Time.Advance(TimeSpan.FromMinutes(30));
        await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");

        Assert.Equal(
            $$"""
            {
              "lastAck": {{StartMs + 3_600_000}},
              "consecutiveOKs": 1,
              "tasks": {
                "TestAgent.InboxCheck": {
                  "lastAck": {{StartMs + 3_600_000}},
                  "consecutiveOKs": 2
                },
                "TestAgent.DiskCheck": {
                  "consecutiveOKs": 0,
                  "lastAlert": {{StartMs + 1_800_000}},
                  "lastAlertSummary": "Disk 97% full, clean up /var/log now"
                }
              },
              "lastAlert": {{StartMs + 1_800_000}},
              "lastAlertSummary": "Disk 97% full, clean up /var/log now"
            }
            """,
            File.ReadAllText(f.StatePath));
    }

    [Fact]
    public async Task A_ring_records_its_size_and_owner_and_one_entry_per_line_in_epoch_seconds()
    {
        await using var f = FolderUnderTest.Create();
        var ring = DiskCheck.OpenHeartbeatRing(f.Store);
        await ring.AppendOkAsync();
        f.Time.Advance(TimeSpan.FromSeconds(61));
        await ring.AppendAlertAsync("Disk \"/\" at 97% ✓");

        Assert.Equal(
            $$"""
            {
              "maxEntries": 5,
              "task": "TestAgent.DiskCheck",
              "entries": [
                {"ts":{{StartS}},"result":"ok","summary":""},
                {"ts":{{StartS + 61}},"result":"alert","summary":"Disk \"/\" at 97% ✓"}
              ]
            }
            """,
            File.ReadAllText(f.File("heartbeat-ring-disk.json")));
    }

    [Fact]
    public async Task The_cron_run_record_has_its_bound_and_one_run_per_line()
    {
        await using var f = FolderUnderTest.Create();
        var handle = f.Store.StartSession<MorningBrief>("cron:brief");
        f.Time.Advance(TimeSpan.FromMilliseconds(1_500));
        await f.Store.CompleteAsync(handle, "Brief: 3 meetings");
        await f.Store.RecordCronRunAsync<QueuePoll>(CronRunVerdict.Skipped, "still running");

        Assert.Equal(
            $$"""
            {
              "maxEntries": 100,
              "runs": [
                {"ts":{{StartS + 2}},"task":"TestAgent.MorningBrief","verdict":"output","summary":"Brief: 3 meetings","durationMs":1500},
                {"ts":{{StartS + 2}},"task":"TestAgent.QueuePoll","verdict":"skipped","summary":"still running","durationMs":0}
              ]
            }
            """,
            File.ReadAllText(f.CronRunsPath));
    }

    [Fact]
    public async Task Files_are_utf8_without_a_byte_order_mark_with_accented_text_unescaped_and_emoji_escaped()
    {
        await using var f = FolderUnderTest.Create();
        var outcome = await f.RunAsync<InboxCheck>("agent:main:ünïcödé 😀", "Alarm: Ölstand (niedrig) & \"bald\" leer 😀");

        foreach (var path in new[] { f.SessionsPath, f.StatePath, f.RingPath, f.Store.TranscriptPath(outcome.SessionId) })
        {
            var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
            Assert.False(File.ReadAllBytes(path).AsSpan().StartsWith(Encoding.UTF8.Preamble), path);
            Assert.Contains(path == f.SessionsPath ? "ünïcödé" : "Ölstand (niedrig) & \\\"bald\\\"", text, StringComparison.Ordinal);

            // System.Text.Json's relaxed encoder escapes characters outside the Basic Multilingual Plane; readers decode them.
            Assert.Contains("\\uD83D\\uDE00", text, StringComparison.Ordinal);
        }

        Assert.Equal("agent:main:ünïcödé 😀", Assert.Single(await f.Store.ReadSessionsAsync()).Key);
    }

    [Fact]
    public async Task Only_the_files_a_route_writes_appear_in_the_folder()
    {
        await using var f = FolderUnderTest.Create();
        Assert.Empty(f.DataFiles());

        var ack = await f.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        Assert.Equal(["heartbeat-ring.json", "heartbeat-state.json"], f.DataFiles());
        await f.RunAsync<MorningBrief>("cron:brief", "NO_REPLY");
        Assert.Equal(["cron-runs.json", "heartbeat-ring.json", "heartbeat-state.json"], f.DataFiles());
        var user = await f.RunAsync<ChatTurn>("agent:main:main", "hi");
        Assert.Equal(new[] { "cron-runs.json", "heartbeat-ring.json", "heartbeat-state.json", user.SessionId + ".jsonl", "sessions.json" }.Order(StringComparer.Ordinal), f.DataFiles());
        Assert.False(File.Exists(f.File(ack.SessionId + ".jsonl")));
        Assert.Equal([".sessionkinds.lock", ".sessionkinds.lock.owner"], Directory.EnumerateFiles(f.Folder, ".sessionkinds*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
