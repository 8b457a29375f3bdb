using System.Text;
using SessionKinds.Tool.Tests.Infrastructure;

namespace SessionKinds.Tool.Tests;

/// <summary>
/// Stores no reader could take, a symbolic link, duplicate keys: exit 1, a message naming the file and the line or key
/// and what to do, and nothing changed (no lock files, no backup, no file moved aside).
/// </summary>
public class HostileStoreTests
{
    private const string Id = "00000000-0000-4000-8000-000000000001";

    public static TheoryData<string, byte[], string> Unreadable => new()
    {
        {
            "truncated",
            Encoding.UTF8.GetBytes($"{{\n  \"agent:main:main\": {{\n    \"sessionId\": \"{Id}\",\n    \"updatedAt\": 17706"),
            "{path} line 4: the file ends before its JSON does: it was cut short, e.g. by a crash or a full disk during a write"
        },
        {
            "not an object",
            Encoding.UTF8.GetBytes($"[\n  {{\"sessionId\": \"{Id}\"}}\n]"),
            "{path} line 1: a store must be one JSON object (session key → entry), but the file holds an array"
        },
        {
            "10,000-deep nesting",
            Encoding.ASCII.GetBytes("{\"agent:main:main\": " + new string('[', 10_000) + new string(']', 10_000) + "}"),
            "{path} line 1: The maximum configured depth of 256 has been exceeded. Cannot read next JSON array"
        },
        {
            "invalid UTF-8",
            [.. "{\n  \"agent:main:main\": {\"label\": \""u8, 0xC3, 0x28, .. "\"}\n}"u8],
            "{path} line 2: the bytes at offset 34 are not valid UTF-8"
        },
        {
            "truncated after a line break",
            Encoding.UTF8.GetBytes($"{{\n  \"agent:main:main\": {{\n    \"sessionId\": \"{Id}\",\n"),
            "{path} line 4: the file ends before its JSON does: it was cut short, e.g. by a crash or a full disk during a write"
        },
        {
            "empty",
            [],
            "{path}: the file is empty"
        },
        {
            "trailing content",
            Encoding.UTF8.GetBytes("{\"a\": {}}\n{\"b\": {}}"),
            "{path} line 2: '{' is invalid after a single JSON value. Expected end of data"
        },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task A_store_no_reader_can_take_exits_with_1_names_the_file_and_line_and_changes_nothing(string what, byte[] content, string problem)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.SessionsPath, content);
        var before = FolderSnapshot.Take(folder.Path);
        var expected = "error: " + problem.Replace("{path}", folder.SessionsPath, StringComparison.Ordinal) +
            ". Nothing was changed. Repair the file (the gateway wrote it as JSON; a sessions-*.json.gz or sessions.json.bak.* beside it holds an earlier copy), then run sessionkinds again.\n";

        foreach (var args in new[] { new[] { "inspect", folder.Path }, ["inspect", folder.Path, "--json"], ["compact", folder.Path, "--dry-run"], ["compact", folder.Path] })
        {
            var result = await ToolRunner.RunAsync(args);

            Assert.True(result.ExitCode == 1, $"{what}, {string.Join(' ', args)}: {result}");
            Assert.Equal(string.Empty, result.Output);
            Assert.Equal(expected, result.Error);
            Assert.Equal(before, FolderSnapshot.Take(folder.Path));
        }
    }

    [Fact]
    public async Task Duplicate_keys_stop_compact_with_the_key_and_its_lines()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.SessionsPath, $$"""
            {
              "agent:main:main:heartbeat": {"sessionId": "{{Id}}", "updatedAt": 1},
              "agent:main:main": {"sessionId": "{{Id}}", "updatedAt": 2},
              "agent:main:main:heartbeat": {"sessionId": "{{Id}}", "updatedAt": 3}
            }
            """);
        SmallStores.Transcript(folder.Path, Id, "anything?", "HEARTBEAT_OK");
        var before = FolderSnapshot.Take(folder.Path);

        var result = await ToolRunner.RunAsync("compact", folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal(
            $"error: {folder.SessionsPath} line 4: the key \"agent:main:main:heartbeat\" appears 2 times (lines 2, 4). The gateway kept the last value, " +
            "and a rewrite would silently drop the others, so nothing was changed. Delete the values you do not want " +
            "(sessionkinds inspect lists every duplicate), then run compact again.\n",
            result.Error);
        Assert.Equal(before, FolderSnapshot.Take(folder.Path));
    }

    [Fact]
    public async Task A_symlinked_sessions_json_is_refused_and_neither_the_link_nor_its_target_changes()
    {
        using var folder = new TempFolder();
        var elsewhere = Directory.CreateDirectory(folder.File("elsewhere")).FullName;
        SmallStores.Write(elsewhere);
        var agent = Directory.CreateDirectory(folder.File("agent")).FullName;
        var link = Path.Combine(agent, "sessions.json");
        File.CreateSymbolicLink(link, Path.Combine(elsewhere, "sessions.json"));
        var before = FolderSnapshot.Take(folder.Path);

        foreach (var args in new[] { new[] { "inspect", agent }, ["compact", agent], ["compact", link, "--dry-run"] })
        {
            var result = await ToolRunner.RunAsync(args);

            Assert.Equal(1, result.ExitCode);
            Assert.Equal(string.Empty, result.Output);
            Assert.Equal(
                $"error: {link} is a symbolic link (to {Path.Combine(elsewhere, "sessions.json")}). sessionkinds works only on a store's own file, never through a link, " +
                "so nothing was read or changed. Run it on the folder that holds the file itself, or replace the link with the file.\n",
                result.Error);
            Assert.Equal(before, FolderSnapshot.Take(folder.Path));
        }
    }

    [Fact]
    public async Task A_missing_store_or_a_folder_without_one_exits_with_1()
    {
        using var folder = new TempFolder();
        var missing = folder.File("nope");

        var none = await ToolRunner.RunAsync("inspect", missing);
        var empty = await ToolRunner.RunAsync("compact", folder.Path);
        var otherFile = folder.File("sessions.json.bak.1770000000000");
        File.WriteAllText(otherFile, "{}");
        var notTheStore = await ToolRunner.RunAsync("compact", otherFile);

        Assert.Equal((1, $"error: {missing} does not exist. Pass an agent's sessions folder (e.g. ~/.openclaw/agents/main/sessions) or its sessions.json file.\n"), (none.ExitCode, none.Error));
        Assert.Equal((1, $"error: {folder.Path} has no sessions.json. Pass an agent's sessions folder (e.g. ~/.openclaw/agents/main/sessions) or the sessions.json file itself.\n"), (empty.ExitCode, empty.Error));
        Assert.Equal(1, notTheStore.ExitCode);
        Assert.StartsWith($"error: {otherFile} is not a store's sessions.json.", notTheStore.Error, StringComparison.Ordinal);
    }
}
