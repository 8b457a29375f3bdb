using System.Text;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Files;

/// <summary>
/// A JSON file of the folder that does not parse is moved aside to <c>&lt;name&gt;.corrupt-&lt;timestamp&gt;</c> byte for
/// byte, the error names both paths, nothing else changes, and the next write starts the file again. (The conformance
/// suite proves the same for every engine in general terms; these are the file details.)
/// </summary>
public sealed class CorruptFileTests
{
    private const string Truncated = """
        {
          "agent:main:main": {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d", "kind": "user", "updatedAt": 1735700000000},
          "agent:main:other": {"sessionId": "6c1f4b2e-0000-4000-8000-00000000ab
        """;

    private static readonly string Nested10000 = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);

    [Fact]
    public async Task A_truncated_sessions_file_is_moved_aside_under_a_timestamped_name_and_the_next_write_starts_afresh()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.SessionsPath, Truncated);
        var bytes = File.ReadAllBytes(f.SessionsPath);

        var ex = await Assert.ThrowsAsync<SessionStoreCorruptFileException>(async () => await f.RunAsync(SessionKind.User, "agent:main:main", "hi"));

        var expectedAside = f.SessionsPath + ".corrupt-2025-01-02T03-04-05.678Z";
        Assert.Equal((f.SessionsPath, expectedAside), (ex.Location, ex.MovedToPath));
        Assert.Contains($"{f.SessionsPath} is not readable (", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"It was moved aside to {expectedAside} so no data is lost, and nothing was written", ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.Problem));
        Assert.Equal(bytes, File.ReadAllBytes(expectedAside));
        Assert.Equal([Path.GetFileName(expectedAside)], f.DataFiles()); // no new sessions.json, no transcript

        await f.RunAsync(SessionKind.User, "agent:main:main", "hi");
        Assert.Single(await f.Store.ReadSessionsAsync());
        Assert.Equal(bytes, File.ReadAllBytes(expectedAside));
    }

    public static TheoryData<string, string, byte[]> UnreadableFiles => new()
    {
        { "sessions.json", "empty file", [] },
        { "sessions.json", "white space only", "  \n"u8.ToArray() },
        { "sessions.json", "an array", "[{\"sessionId\": \"x\"}]"u8.ToArray() },
        { "sessions.json", "a string", "\"sessions\""u8.ToArray() },
        { "sessions.json", "trailing garbage", "{\"a\": {}} {}"u8.ToArray() },
        { "sessions.json", "invalid UTF-8", [.. "{\"a\": {\"label\": \""u8, 0xC3, 0x28, .. "\"}}"u8] },
        { "sessions.json", "nested 10,000 deep", Encoding.ASCII.GetBytes("{\"a\": " + new string('[', 10_000) + new string(']', 10_000) + "}") },
        { "sessions.json", "a top-level key with an unpaired surrogate escape", "{\"\\ud800\": {\"sessionId\": \"0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d\"}}"u8.ToArray() },
        { "heartbeat-state.json", "empty file", [] },
        { "heartbeat-state.json", "truncated", "{\"lastAck\": 17"u8.ToArray() },
        { "heartbeat-state.json", "an array instead of an object", "[{\"lastAck\": 1}]"u8.ToArray() },
        { "heartbeat-state.json", "JSON nested 10,000 deep", Encoding.ASCII.GetBytes(Nested10000) },
        { "heartbeat-state.json", "invalid UTF-8", [.. "{\"lastAlertSummary\": \""u8, 0xFF, 0xFE, .. "\", \"consecutiveOKs\": 3}"u8] },
        { "heartbeat-state.json", "not JSON at all", "HEARTBEAT_OK"u8.ToArray() },
        { "heartbeat-ring.json", "empty file", [] },
        { "heartbeat-ring.json", "entries not an array", "{\"maxEntries\": 50, \"entries\": {\"ts\": 1}}"u8.ToArray() },
        { "heartbeat-ring.json", "an array", "[]"u8.ToArray() },
        { "heartbeat-ring.json", "truncated", "{\"maxEntries\": 50, \"entries\": ["u8.ToArray() },
        { "heartbeat-ring.json", "JSON nested 10,000 deep", Encoding.ASCII.GetBytes(Nested10000) },
        { "heartbeat-ring.json", "entries nested 10,000 deep", Encoding.ASCII.GetBytes("{\"maxEntries\": 50, \"entries\": [" + new string('[', 10_000) + new string(']', 10_000) + "]}") },
        { "heartbeat-ring.json", "invalid UTF-8", [.. "{\"maxEntries\": 50, \"entries\": [{\"ts\": 1, \"result\": \"ok\", \"summary\": \""u8, 0xC3, 0x28, .. "\"}]}"u8] },
        { "heartbeat-ring.json", "truncated inside a string with a BOM", [0xEF, 0xBB, 0xBF, .. "{\"maxEntries\": 50, \"entries\": [{\"ts\": 1, \"result\": \"o"u8] },
        { "cron-runs.json", "empty file", [] },
        { "cron-runs.json", "runs not an array", "{\"maxEntries\": 100, \"runs\": 3}"u8.ToArray() },
        { "cron-runs.json", "truncated", "{\"maxEntries\": 100, \"runs\": [{\"ts\": 1, \"task\": \"T\""u8.ToArray() },
        { "cron-runs.json", "a number", "100"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(UnreadableFiles))]
    public async Task An_unreadable_file_is_moved_aside_by_name_and_nothing_else_changes(string file, string what, byte[] content)
    {
        await using var f = await SeededAsync();
        File.WriteAllBytes(f.File(file), content);
        var before = FolderSnapshot.Take(f.Folder);

        // A completion that writes that file (an alert writes all but the run record; cron output that and a session).
        var ex = await Assert.ThrowsAsync<SessionStoreCorruptFileException>(async () =>
            _ = file == "cron-runs.json" ? await f.RunAsync<MorningBrief>("cron:brief", "Brief") : await f.RunAsync<InboxCheck>("agent:main:hb", "The build failed"));

        Assert.Equal(f.File(file), ex.Location);
        Assert.Contains(f.File(file), ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.MovedToPath!, ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.Problem), what);
        Assert.Equal(content, File.ReadAllBytes(ex.MovedToPath!));

        // The only change is the rename: every other file is byte for byte what it was, and nothing was added.
        var moved = Path.GetFileName(ex.MovedToPath!);
        Assert.Equal(
            before.Files.Where(p => p.Key != file && !FileStoreAgent.LockFiles.Contains(p.Key)),
            FolderSnapshot.Take(f.Folder).Files.Where(p => p.Key != moved && !FileStoreAgent.LockFiles.Contains(p.Key)));

        // The next write starts the file again; the moved bytes stay.
        _ = file == "cron-runs.json" ? await f.RunAsync<MorningBrief>("cron:brief", "Brief") : await f.RunAsync<InboxCheck>("agent:main:hb", "The build failed");
        Assert.Equal(content, File.ReadAllBytes(ex.MovedToPath!));
        Assert.Null(FolderAudit.ProblemWithJsonObject(File.ReadAllBytes(f.File(file))));
    }

    [Fact]
    public async Task Reading_a_corrupt_file_moves_it_aside_too_and_two_in_one_millisecond_get_distinct_names()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.SessionsPath, "{");
        var first = await Assert.ThrowsAsync<SessionStoreCorruptFileException>(async () => await f.Store.ReadSessionsAsync());
        Assert.Empty(await f.Store.ReadSessionsAsync());
        File.WriteAllText(f.SessionsPath, "[");

        var second = await Assert.ThrowsAsync<SessionStoreCorruptFileException>(async () => await f.Store.FindSessionAsync("k"));
        File.WriteAllText(f.SessionsPath, "nope");
        var third = await Assert.ThrowsAsync<SessionStoreCorruptFileException>(async () => await f.Store.ReadSessionsAsync());

        Assert.Equal(
            [f.SessionsPath + ".corrupt-2025-01-02T03-04-05.678Z", f.SessionsPath + ".corrupt-2025-01-02T03-04-05.678Z-1", f.SessionsPath + ".corrupt-2025-01-02T03-04-05.678Z-2"],
            new[] { first.MovedToPath!, second.MovedToPath!, third.MovedToPath! });
        Assert.Equal(["{", "[", "nope"], new[] { first, second, third }.Select(e => File.ReadAllText(e.MovedToPath!)));
    }

    [Fact]
    public async Task A_corrupt_heartbeat_state_stops_an_ack_before_the_ring_is_written()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.StatePath, "{\"lastAck\": 17");

        var ex = await Assert.ThrowsAsync<SessionStoreCorruptFileException>(async () => await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK"));

        Assert.Equal(f.StatePath, ex.Location);
        Assert.False(File.Exists(f.RingPath));
        Assert.Equal("{\"lastAck\": 17", File.ReadAllText(ex.MovedToPath!));
        await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");
        Assert.Equal(1, (await f.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
    }

    [Fact]
    public async Task An_ack_or_a_silent_run_never_reads_sessions_json_so_a_corrupt_one_is_left_alone()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.SessionsPath, "{ \"broken\": ");

        await f.RunAsync<InboxCheck>("agent:main:heartbeat", "HEARTBEAT_OK");
        await f.RunAsync<DiskCheck>("agent:main:disk", "HEARTBEAT_OK", prompt: null);
        await f.RunAsync<MorningBrief>("cron:brief", "NO_REPLY");

        Assert.Equal("{ \"broken\": ", File.ReadAllText(f.SessionsPath));
        Assert.DoesNotContain(f.DataFiles(), name => name.Contains("corrupt", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sessions.json", 1)]
    [InlineData("heartbeat-state.json", 2)]
    [InlineData("heartbeat-ring.json", 3)]
    [InlineData("cron-runs.json", 4)]
    public async Task Seeded_random_damage_never_crashes_an_operation(string file, int seed)
    {
        const int Iterations = 150;
        byte[] alphabet = Encoding.UTF8.GetBytes("{}[]\",:\\u0123456789abcdefABCDEF eE-+.truefalsnl\n\t\u00e9\U0001F600");
        await using var f = await SeededAsync();
        var valid = File.ReadAllBytes(f.File(file));
        var random = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        (string Name, Func<Task> Operation)[] operations =
        [
            ("read sessions", async () => await f.Store.ReadSessionsAsync()),
            ("read state", async () => await f.Store.ReadHeartbeatStateAsync()),
            ("read ring", async () => await f.Store.ReadHeartbeatRingAsync()),
            ("read runs", async () => await f.Store.ReadCronRunsAsync()),
            ("user session", () => f.RunAsync(SessionKind.User, "agent:main:main", "again")),
            ("heartbeat ack", () => f.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK")),
            ("heartbeat alert", () => f.RunAsync<InboxCheck>("agent:main:hb", "The build failed")),
            ("cron output", () => f.RunAsync<MorningBrief>("cron:brief", "Brief")),
        ];

        for (var i = 0; i < Iterations; i++)
        {
            var damaged = Mutate(valid, random, alphabet);
            foreach (var (name, operation) in operations)
            {
                // Each operation sees the damaged content (a write may have repaired or moved it).
                File.WriteAllBytes(f.File(file), damaged);
                try
                {
                    await operation();
                    outcomes[name + ": ok"] = outcomes.GetValueOrDefault(name + ": ok") + 1;
                }
                catch (SessionStoreException ex)
                {
                    outcomes[name + ": " + ex.GetType().Name] = outcomes.GetValueOrDefault(name + ": " + ex.GetType().Name) + 1;
                    if (ex is SessionStoreCorruptFileException { MovedToPath: { } moved })
                    {
                        Assert.Equal(damaged, File.ReadAllBytes(moved));
                        File.Delete(moved);
                    }
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{name} crashed on iteration {i} (seed {seed}) with {ex.GetType().Name}: {ex.Message}\n{Encoding.UTF8.GetString(damaged)}");
                }
            }
        }

        // The damage was varied enough to exercise both sides.
        Assert.Contains(outcomes, o => o.Key.EndsWith(": ok", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.Key.EndsWith(nameof(SessionStoreCorruptFileException), StringComparison.Ordinal));
    }

    /// <summary>A folder with a session, an alert and an ack, and a cron run: every JSON file exists.</summary>
    private static async Task<FolderUnderTest> SeededAsync()
    {
        var f = FolderUnderTest.Create();
        await f.RunAsync(SessionKind.User, "agent:main:main", "hello \"world\" é");
        await f.RunAsync(SessionKind.Subagent, "agent:main:sub", "done");
        await f.RunAsync<InboxCheck>("agent:main:hb", "Disk 97% full");
        await f.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        await f.RunAsync<MorningBrief>("cron:brief", "Brief");
        return f;
    }

    private static byte[] Mutate(byte[] valid, Random random, byte[] alphabet)
    {
        var bytes = new List<byte>(valid);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes.RemoveRange(at, bytes.Count - at); // truncate
                    break;
                case 1:
                    bytes[at] = alphabet[random.Next(alphabet.Length)];
                    break;
                case 2:
                    bytes.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. bytes];
    }
}
