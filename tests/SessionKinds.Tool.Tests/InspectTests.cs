using System.Text.Json;
using SessionKinds.Testing;
using SessionKinds.Tool.Tests.Infrastructure;

namespace SessionKinds.Tool.Tests;

/// <summary><c>sessionkinds inspect</c>: exact report on a small store, the JSON shape, and figures on a generated store.</summary>
public class InspectTests
{
    [Fact]
    public async Task Inspect_prints_kinds_biggest_entries_and_growth_of_a_gateway_store()
    {
        using var folder = new TempFolder();
        SmallStores.Write(folder.Path);
        var before = FolderSnapshot.Take(folder.Path);

        var result = await ToolRunner.RunAsync("inspect", folder.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(Expected.Replace("{folder}", folder.Path, StringComparison.Ordinal), result.Output);
        Assert.Equal(before, FolderSnapshot.Take(folder.Path));
    }

    // The folder's path is {folder}; the last line ends with a line break.
    private const string Expected = """
        store   {folder}/sessions.json
        size    1,988 bytes (1.9 KiB), 9 entries
        oldest  2026-02-07 07:40:00Z  agent:main:cron:morning-brief:run:0b6e2c4d-8f1a-4b3c-9d2e-7a6b5c4d3e2f
        newest  2026-02-09 09:40:00Z  agent:main:main

                                     entries and transcripts by kind

          kind         entries   bytes   share   kind from key   transcripts   transcript bytes
        ─────────────────────────────────────────────────────────────────────────────────────────
          user               2   740 B   48.2%               2             2            1.1 KiB
          heartbeat          3   348 B   22.7%               3             2            1.3 KiB
          cron               2   186 B   12.1%               2             2            1.2 KiB
          subagent           1   167 B   10.9%               1             1              578 B
          unknown            1    93 B    6.1%               1             0                0 B
          (no entry)         -       -       -               -             0                0 B


                                                                             the 9 biggest entries

          line   key                                                               kind        bytes   biggest fields
        ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
             2   agent:main:main                                                   user        542 B   origin 78 B (14.4%), deliveryContext 68 B (12.5%), sessionId 38
                                                                                                       B (7.0%)
            14   agent:main:telegram:group:-1001234567890                          user        198 B   sessionId 38 B (19.2%), displayName 19 B (9.6%), updatedAt 13 B
                                                                                                       (6.6%)
            40   agent:main:subagent:a514ee78-2b3c-4d5e-8f90-1a2b3c4d5e6f          subagent    167 B   sessionId 38 B (22.8%), spawnedBy 17 B (10.2%), updatedAt 13 B
                                                                                                       (7.8%)
            19   agent:main:telegram:dm:555:heartbeat                              heartbeat   162 B   sessionId 38 B (23.5%), heartbeatIsolatedBaseSessionKey 28 B
                                                                                                       (17.3%), updatedAt 13 B (8.0%)
            24   agent:main:main:heartbeat                                         heartbeat    93 B   sessionId 38 B (40.9%), updatedAt 13 B (14.0%)
            28   agent:main:dm:777:heartbeat                                       heartbeat    93 B   sessionId 38 B (40.9%), updatedAt 13 B (14.0%)
            32   agent:main:cron:morning-brief:run:0b6e2c4d-8f1a-4b3c-9d2e-7a6b5   cron         93 B   sessionId 38 B (40.9%), updatedAt 13 B (14.0%)
                 c4d3e2f
            36   agent:main:cron:morning-brief:run:44444444-8f1a-4b3c-9d2e-7a6b5   cron         93 B   sessionId 38 B (40.9%), updatedAt 13 B (14.0%)
                 c4d3e2f
            45   hook:5e5e5e5e-0000-4000-8000-000000000001                         unknown      93 B   sessionId 38 B (40.9%), updatedAt 13 B (14.0%)


                               entries per day, by updatedAt (UTC)
        2026-02-07      186 B  ███████████████████████ 2
        2026-02-08      198 B  ██████████ 1
        2026-02-09    1.1 KiB  ███████████████████████████████████████████████████████████████████████████ 6

        """;

    [Fact]
    public async Task Inspect_json_has_the_documented_shape()
    {
        using var folder = new TempFolder();
        SmallStores.Write(folder.Path);
        File.WriteAllText(folder.File("99999999-0000-4000-8000-000000000000.jsonl"), "{}\n");

        var result = await ToolRunner.RunAsync("inspect", folder.SessionsPath, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("sessionkinds-inspect/1", root.GetProperty("schema").GetString());
        Assert.Equal(folder.SessionsPath, root.GetProperty("store").GetString());
        Assert.Equal(folder.Path, root.GetProperty("folder").GetString());
        Assert.Equal(new FileInfo(folder.SessionsPath).Length, root.GetProperty("bytes").GetInt64());
        Assert.Equal(9, root.GetProperty("entries").GetInt32());
        var kinds = root.GetProperty("kinds");
        Assert.Equal(["user", "heartbeat", "cron", "subagent", "unknown"], kinds.EnumerateObject().Select(k => k.Name));
        Assert.Equal([2, 3, 2, 1, 1], kinds.EnumerateObject().Select(k => k.Value.GetProperty("entries").GetInt32()));
        Assert.Equal([2, 3, 2, 1, 1], kinds.EnumerateObject().Select(k => k.Value.GetProperty("inferred").GetInt32()));
        Assert.Equal([2, 2, 2, 1, 0], kinds.EnumerateObject().Select(k => k.Value.GetProperty("transcripts").GetInt32()));
        Assert.Equal("agent:main:cron:morning-brief:run:" + SmallStores.SilentRunId, root.GetProperty("oldest").GetProperty("key").GetString());
        Assert.Equal(1770450000000, root.GetProperty("oldest").GetProperty("updatedAt").GetInt64());
        Assert.Equal("2026-02-07T07:40:00.000Z", root.GetProperty("oldest").GetProperty("date").GetString());
        Assert.Equal("agent:main:main", root.GetProperty("newest").GetProperty("key").GetString());
        Assert.Equal(0, root.GetProperty("withoutUpdatedAt").GetInt32());
        var biggest = root.GetProperty("biggest").EnumerateArray().ToList();
        Assert.Equal(9, biggest.Count);
        Assert.Equal("agent:main:main", biggest[0].GetProperty("key").GetString());
        Assert.Equal(["origin", "deliveryContext", "sessionId"], biggest[0].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.True(biggest.Zip(biggest.Skip(1)).All(p => p.First.GetProperty("bytes").GetInt32() >= p.Second.GetProperty("bytes").GetInt32()));
        Assert.Equal(
            [("2026-02-07", 2), ("2026-02-08", 1), ("2026-02-09", 6)],
            root.GetProperty("days").EnumerateArray().Select(d => (d.GetProperty("date").GetString(), d.GetProperty("entries").GetInt32())));
        Assert.Empty(root.GetProperty("duplicates").EnumerateArray());
        Assert.Equal(1, root.GetProperty("unreferencedTranscripts").GetProperty("files").GetInt32());
    }

    [Fact]
    public async Task Duplicate_keys_are_reported_with_their_lines_and_the_last_value_counts()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.SessionsPath, """
            {
              "agent:main:main": {"sessionId": "00000000-0000-4000-8000-000000000001", "updatedAt": 1},
              "agent:main:main:heartbeat": {"sessionId": "00000000-0000-4000-8000-000000000002", "updatedAt": 2},
              "agent:main:main": {"sessionId": "00000000-0000-4000-8000-000000000003", "updatedAt": 1770000000000, "kind": "subagent"}
            }
            """);

        var json = await ToolRunner.RunAsync("inspect", folder.Path, "--json");
        var text = await ToolRunner.RunAsync("inspect", folder.Path);

        Assert.Equal(0, json.ExitCode);
        using var report = JsonDocument.Parse(json.Output);
        var duplicate = Assert.Single(report.RootElement.GetProperty("duplicates").EnumerateArray());
        Assert.Equal("agent:main:main", duplicate.GetProperty("key").GetString());
        Assert.Equal([2, 4], duplicate.GetProperty("lines").EnumerateArray().Select(l => l.GetInt32()));
        Assert.Equal(2, report.RootElement.GetProperty("entries").GetInt32());
        Assert.Equal(1, report.RootElement.GetProperty("kinds").GetProperty("subagent").GetProperty("entries").GetInt32());
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("1 key(s) appear more than once; the gateway and SessionKinds keep the last value, in the first position:\n  agent:main:main  lines 2, 4\n", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hand_edited_store_with_comments_trailing_commas_and_a_BOM_is_read()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.SessionsPath, [0xEF, 0xBB, 0xBF, .. """
            // edited by hand
            {
              "agent:main:main": {"sessionId": "00000000-0000-4000-8000-000000000001", "updatedAt": 1770000000000, /* mine */},
              "agent:main:cron:brief:run:r1": {"sessionId": "00000000-0000-4000-8000-000000000002", "updatedAt": 1770000000000,},
            }
            """u8]);

        var result = await ToolRunner.RunAsync("inspect", folder.Path, "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Output);
        Assert.Equal(2, report.RootElement.GetProperty("entries").GetInt32());
        Assert.Equal(1, report.RootElement.GetProperty("kinds").GetProperty("cron").GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task On_a_generated_store_the_figures_add_up_to_the_file()
    {
        using var folder = new TempFolder();
        var entries = GatewayFolders.Create(folder.Path, 2_000);

        var result = await ToolRunner.RunAsync("inspect", folder.Path, "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Output);
        var root = report.RootElement;
        var kinds = root.GetProperty("kinds");
        int Count(string kind) => kinds.GetProperty(kind).GetProperty("entries").GetInt32();
        Assert.Equal(entries.Count, root.GetProperty("entries").GetInt32());
        Assert.Equal(entries.Count(e => e.Role is GatewayEntryRole.User), Count("user"));
        Assert.Equal(entries.Count(e => e.Role is GatewayEntryRole.AckedHeartbeat or GatewayEntryRole.AlertHeartbeat or GatewayEntryRole.HeartbeatWithoutTranscript), Count("heartbeat"));
        Assert.Equal(entries.Count(e => e.Role is GatewayEntryRole.SilentCronRun or GatewayEntryRole.OutputCronRun or GatewayEntryRole.CronJob), Count("cron"));
        Assert.Equal(entries.Count(e => e.Role is GatewayEntryRole.Subagent), Count("subagent"));
        Assert.Equal(entries.Count(e => e.Role is GatewayEntryRole.Unknown), Count("unknown"));
        Assert.Equal(entries.Count, root.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("entries").GetInt32()));
        var transcriptFiles = Directory.GetFiles(folder.Path, "*.jsonl").Length;
        Assert.Equal(transcriptFiles, kinds.EnumerateObject().Sum(k => k.Value.GetProperty("transcripts").GetInt32()));
        Assert.Equal(0, root.GetProperty("unreferencedTranscripts").GetProperty("files").GetInt32());
        Assert.Equal(10, root.GetProperty("biggest").GetArrayLength());
        Assert.All(root.GetProperty("biggest").EnumerateArray(), b => Assert.Equal("systemPromptReport", b.GetProperty("fields")[0].GetProperty("name").GetString()));
    }
}
