using System.IO.Compression;
using System.Text;
using System.Text.Json;
using SessionKinds.Testing;
using SessionKinds.Tool.Tests.Infrastructure;

namespace SessionKinds.Tool.Tests;

/// <summary><c>sessionkinds compact</c>: the plan, what it removes and keeps, the backup, the gateway's lock.</summary>
public class CompactTests
{
    private static readonly FixedTime Clock = new(SmallStores.Now);

    [Fact]
    public async Task A_dry_run_prints_the_plan_and_changes_nothing()
    {
        using var folder = new TempFolder();
        SmallStores.Write(folder.Path);
        var before = FolderSnapshot.Take(folder.Path);

        var result = await ToolRunner.RunAsync(Clock, "compact", folder.Path, "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(DryRun.Replace("{folder}", folder.Path, StringComparison.Ordinal), result.Output);
        Assert.Equal(before, FolderSnapshot.Take(folder.Path));
    }

    // The folder's path is {folder}; the last line ends with a line break.
    private const string DryRun = """
        Plan {folder}/sessions.json: 1,988 bytes (1.9 KiB), 9 entries

          action   why                       entries   bytes   transcripts   transcript bytes
        ───────────────────────────────────────────────────────────────────────────────────────
          remove   heartbeat, acknowledged         1   162 B             1              632 B
          remove   cron run, silent                1    93 B             1              596 B
          keep     heartbeat, alert                1    93 B             -                  -
          keep     cron run, output                1    93 B             -                  -
          keep     no readable transcript          1    93 B             -                  -
          keep     user                            2   740 B             -                  -
          keep     subagent                        1   167 B             -                  -
          keep     unknown kind                    1    93 B             -                  -

        sessions.json after: about 1,611 bytes (1.6 KiB), 19.0% smaller
        Kept 1 entry that compact could not judge:
          agent:main:dm:777:heartbeat (line 28): its transcript 33333333-1c2f-4e3d-8a9b-6c5d4e3f2a10.jsonl is missing
        Dry run: nothing was changed. Run without --dry-run to compact; a sessions-<timestamp>.json.gz backup of the whole store is written first.

        """;

    [Fact]
    public async Task Compact_removes_acked_heartbeats_and_silent_cron_runs_after_a_backup_and_keeps_the_rest_byte_for_byte()
    {
        using var folder = new TempFolder();
        SmallStores.Write(folder.Path);
        var original = File.ReadAllBytes(folder.SessionsPath);

        var result = await ToolRunner.RunAsync(Clock, "compact", folder.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        var backup = folder.File("sessions-2026-02-09T12-00-00.000Z.json.gz");
        Assert.Equal(Compacted.Replace("{folder}", folder.Path, StringComparison.Ordinal), result.Output);
        Assert.Equal(original, Gunzip(backup));

        var before = RawEntries.Read(original);
        var after = RawEntries.Read(File.ReadAllBytes(folder.SessionsPath));
        var removed = new[] { "agent:main:telegram:dm:555:heartbeat", "agent:main:cron:morning-brief:run:" + SmallStores.SilentRunId };
        Assert.Equal(before.Keys.Except(removed), after.Keys);
        Assert.All(after, e => Assert.Equal(before[e.Key], e.Value));
        Assert.False(File.Exists(folder.File(SmallStores.AckedId + ".jsonl")));
        Assert.False(File.Exists(folder.File(SmallStores.SilentRunId + ".jsonl")));
        Assert.All(
            new[] { SmallStores.MainId, SmallStores.GroupId, SmallStores.AlertId, SmallStores.OutputRunId, SmallStores.SubagentId },
            id => Assert.True(File.Exists(folder.File(id + ".jsonl")), id));
        Assert.False(File.Exists(folder.File("sessions.json.lock")), "the gateway lock compact took is released");

        // Run again: nothing left to remove, nothing written.
        var snapshot = FolderSnapshot.Take(folder.Path);
        var again = await ToolRunner.RunAsync(Clock, "compact", folder.Path);
        Assert.Equal(0, again.ExitCode);
        Assert.EndsWith("Nothing to remove; nothing was changed.\n", again.Output, StringComparison.Ordinal);
        Assert.Equal(snapshot, FolderSnapshot.Take(folder.Path));
    }

    private const string Compacted = """
        Compacting {folder}/sessions.json: 1,988 bytes (1.9 KiB), 9 entries

          action   why                       entries   bytes   transcripts   transcript bytes
        ───────────────────────────────────────────────────────────────────────────────────────
          remove   heartbeat, acknowledged         1   162 B             1              632 B
          remove   cron run, silent                1    93 B             1              596 B
          keep     heartbeat, alert                1    93 B             -                  -
          keep     cron run, output                1    93 B             -                  -
          keep     no readable transcript          1    93 B             -                  -
          keep     user                            2   740 B             -                  -
          keep     subagent                        1   167 B             -                  -
          keep     unknown kind                    1    93 B             -                  -

        sessions.json after: about 1,611 bytes (1.6 KiB), 19.0% smaller
        Kept 1 entry that compact could not judge:
          agent:main:dm:777:heartbeat (line 28): its transcript 33333333-1c2f-4e3d-8a9b-6c5d4e3f2a10.jsonl is missing
        Backup: {folder}/sessions-2026-02-09T12-00-00.000Z.json.gz
        Removed 2 entries and 2 transcripts; sessions.json 1,988 → 1,611 bytes (1.9 KiB → 1.6 KiB).
        To undo, decompress the backup over sessions.json (e.g. gunzip -c <backup> > sessions.json) while the gateway is stopped.

        """;

    [Fact]
    public async Task Keep_also_removes_cron_runs_older_than_the_duration_whatever_they_replied()
    {
        using var folder = new TempFolder();
        SmallStores.Write(folder.Path);

        // Now is 2026-02-09T12:00Z; the silent run was updated 2026-02-07T07:40Z, the output run 2026-02-07T10:26:40Z.
        var keep3d = await ToolRunner.RunAsync(Clock, "compact", folder.Path, "--keep", "3d", "--dry-run");
        var keep2d = await ToolRunner.RunAsync(Clock, "compact", folder.Path, "--keep", "2d");

        Assert.Equal(0, keep3d.ExitCode);
        Assert.Contains("  remove   heartbeat, acknowledged         1 ", keep3d.Output, StringComparison.Ordinal);
        Assert.Contains("  remove   cron run, silent                1 ", keep3d.Output, StringComparison.Ordinal);
        Assert.Contains("  keep     cron run, output                1 ", keep3d.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("older than", keep3d.Output, StringComparison.Ordinal);
        Assert.Equal(0, keep2d.ExitCode);
        Assert.Contains("  remove   cron run, older than 2d         2 ", keep2d.Output, StringComparison.Ordinal);
        var after = RawEntries.Read(File.ReadAllBytes(folder.SessionsPath));
        Assert.DoesNotContain(after.Keys, k => k.Contains(":run:", StringComparison.Ordinal));
        Assert.False(File.Exists(folder.File(SmallStores.OutputRunId + ".jsonl")));
    }

    [Fact]
    public async Task On_a_generated_store_compact_removes_exactly_the_acked_heartbeats_and_silent_runs()
    {
        using var folder = new TempFolder();
        var entries = GatewayFolders.Create(folder.Path, 2_000);
        var original = File.ReadAllBytes(folder.SessionsPath);
        var time = new FixedTime(GatewayFolders.End);

        var result = await ToolRunner.RunAsync(time, "compact", folder.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        var removed = entries.Where(e => e.Role is GatewayEntryRole.AckedHeartbeat or GatewayEntryRole.SilentCronRun).ToList();
        var kept = entries.Except(removed).ToList();
        var before = RawEntries.Read(original);
        var after = RawEntries.Read(File.ReadAllBytes(folder.SessionsPath));
        Assert.Equal(kept.Select(e => e.Key), after.Keys);
        Assert.All(kept, e => Assert.True(before[e.Key].AsSpan().SequenceEqual(after[e.Key]), e.Key));
        Assert.All(removed, e => Assert.False(File.Exists(folder.File(e.SessionId + ".jsonl")), e.Key));
        Assert.All(kept.Where(e => e.Role != GatewayEntryRole.HeartbeatWithoutTranscript), e => Assert.True(File.Exists(folder.File(e.SessionId + ".jsonl")), e.Key));
        Assert.Contains($"Removed {removed.Count:N0} entries and {removed.Count:N0} transcripts;", result.Output, StringComparison.Ordinal);
        var withoutTranscript = entries.Count(e => e.Role == GatewayEntryRole.HeartbeatWithoutTranscript);
        Assert.Contains($"Kept {withoutTranscript} entr", result.Output, StringComparison.Ordinal);
        Assert.Equal(original, Gunzip(Assert.Single(Directory.GetFiles(folder.Path, "sessions-*.json.gz"))));
        Assert.True(new FileInfo(folder.SessionsPath).Length < original.Length);
    }

    [Fact]
    public async Task A_hand_edited_store_is_compacted_to_strict_JSON_and_its_backup_keeps_it_as_it_was()
    {
        using var folder = new TempFolder();
        SmallStores.Write(folder.Path);
        var lenient = SmallStores.Sessions
            .Replace("\"systemSent\": true,", "\"systemSent\": true, // hand-edited", StringComparison.Ordinal)
            .Replace("\"label\": \"research\"", "\"label\": \"research\",", StringComparison.Ordinal);
        byte[] original = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("/* my store */\n" + lenient)];
        File.WriteAllBytes(folder.SessionsPath, original);

        var result = await ToolRunner.RunAsync(Clock, "compact", folder.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var strict = JsonDocument.Parse(File.ReadAllBytes(folder.SessionsPath));
        Assert.Equal(7, strict.RootElement.EnumerateObject().Count());
        Assert.Equal("research", strict.RootElement.GetProperty("agent:main:subagent:a514ee78-2b3c-4d5e-8f90-1a2b3c4d5e6f").GetProperty("label").GetString());
        Assert.Equal(original, Gunzip(folder.File("sessions-2026-02-09T12-00-00.000Z.json.gz")));
    }

    [Fact]
    public async Task A_fresh_gateway_lock_is_respected_and_nothing_changes()
    {
        using var folder = new TempFolder();
        SmallStores.Write(folder.Path);
        var gatewayLock = folder.File("sessions.json.lock");
        File.WriteAllText(gatewayLock, "{\"pid\":4242}");
        File.SetLastWriteTimeUtc(gatewayLock, SmallStores.Now.UtcDateTime.AddSeconds(-12));
        var before = FolderSnapshot.Take(folder.Path);

        var dryRun = await ToolRunner.RunAsync(Clock, "compact", folder.Path, "--dry-run");
        var result = await ToolRunner.RunAsync(Clock, "compact", folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(1, dryRun.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal(
            $"error: {gatewayLock} exists (written 12 s ago): the gateway is writing this store right now, so nothing was changed. " +
            "Wait for it to finish, or stop the gateway, and run sessionkinds compact again. A lock older than 5m counts as stale " +
            "(left by a gateway that died) and is replaced; change that age with --lock-stale.\n",
            result.Error);
        Assert.Equal(before, FolderSnapshot.Take(folder.Path));
    }

    [Fact]
    public async Task A_stale_gateway_lock_is_replaced_while_compacting_and_removed_after()
    {
        using var folder = new TempFolder();
        SmallStores.Write(folder.Path);
        var gatewayLock = folder.File("sessions.json.lock");
        File.WriteAllText(gatewayLock, "{\"pid\":4242}");
        File.SetLastWriteTimeUtc(gatewayLock, SmallStores.Now.UtcDateTime.AddMinutes(-3));

        var result = await ToolRunner.RunAsync(Clock, "compact", folder.Path, "--lock-stale", "2m");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{gatewayLock} is 3 min old, older than 2m: a stale lock, replaced while compacting.\n", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(gatewayLock));
        Assert.Equal(7, RawEntries.Read(File.ReadAllBytes(folder.SessionsPath)).Count);
    }

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { [], "error: Required command was not provided.\nRun 'sessionkinds --help' for usage.\n" },
        { ["compact"], "error: Required argument missing for command: 'compact'.\nRun 'sessionkinds compact --help' for usage.\n" },
        { ["compact", ".", "--keep", "5"], "error: '5' is not a duration for --keep: use a whole number and a unit: s, m, h or d (e.g. 90s, 30m, 24h, 7d).\nRun 'sessionkinds compact --help' for usage.\n" },
        { ["compact", ".", "--ack-max-chars", "-1"], "error: --ack-max-chars must be 0 or more.\nRun 'sessionkinds compact --help' for usage.\n" },
        { ["inspect", ".", "--color"], "error: Unrecognized command or argument '--color'.\nRun 'sessionkinds inspect --help' for usage.\n" },
        { ["import", "."], "error: Option '--to' is required.\nRun 'sessionkinds import --help' for usage.\n" }, // import exists now: its one required option
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Usage_errors_exit_with_2_and_say_where_to_find_help(string[] args, string error)
    {
        var result = await ToolRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public async Task Help_lists_both_commands_and_exits_with_0()
    {
        var result = await ToolRunner.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("inspect <folder | sessions.json>", result.Output, StringComparison.Ordinal);
        Assert.Contains("compact <folder | sessions.json>", result.Output, StringComparison.Ordinal);
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }
}
