using System.Text;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Files;

/// <summary>
/// Nothing a file holds or a task declares makes the store touch a path outside the agent folder: session ids read from
/// a tampered <c>sessions.json</c> and ring names that are not plain file names. (Hostile keys: Conformance/HostileKeyTests,
/// whose file snapshots cover the whole test root; planted links: SymlinkTests.)
/// </summary>
public sealed class PathSafetyTests
{
    public static TheoryData<string> TamperedSessionIds => new()
    {
        "../../outside",
        "/tmp/sessionkinds-absolute",
        "..\\..\\outside",
        "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d/../../outside",
        "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d\u0000.txt",
        "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4\u0661", // an Arabic-Indic digit: a digit, not an ASCII hex digit
        "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d ",
        "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d.jsonl",
        "sessions",
        "",
    };

    [Theory]
    [MemberData(nameof(TamperedSessionIds))]
    public async Task A_tampered_session_id_in_sessions_json_never_becomes_a_path(string tampered)
    {
        await using var f = FolderUnderTest.Create();
        var escaped = Encoding.UTF8.GetString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(tampered));
        File.WriteAllText(f.SessionsPath, $$$"""{"agent:main:main": {"sessionId": {{{escaped}}}, "kind": "user", "updatedAt": 1, "label": "keep"}}""");
        var outside = FolderSnapshot.Take(f.Temp.Root).Names.Where(n => !n.StartsWith("agent/", StringComparison.Ordinal)).ToList();

        var user = await f.RunAsync(SessionKind.User, "agent:main:main", "hi");
        var alert = await f.RunAsync<InboxCheck>("agent:main:main", "Disk 97% full");

        // A new session id replaced the unusable one; its transcript is the only new file, and it is in the folder.
        Assert.False(user.ContinuedExistingSession);
        Assert.True(Guid.TryParseExact(user.SessionId, "D", out _));
        Assert.Equal(user.SessionId, alert.SessionId);
        Assert.Equal([user.SessionId + ".jsonl", "heartbeat-ring.json", "heartbeat-state.json", "sessions.json"], f.DataFiles());
        Assert.Equal(outside, FolderSnapshot.Take(f.Temp.Root).Names.Where(n => !n.StartsWith("agent/", StringComparison.Ordinal)));
        Assert.False(File.Exists("/tmp/sessionkinds-absolute.jsonl"));
        Assert.Contains("\"label\": \"keep\"", File.ReadAllText(f.SessionsPath), StringComparison.Ordinal);
        if (tampered.Length > 0)
        {
            await Assert.ThrowsAsync<ArgumentException>(async () => await f.Store.ReadTranscriptAsync(tampered));
        }
    }

    [Fact]
    public async Task Odd_but_valid_keys_never_name_a_file_only_uuids_do()
    {
        await using var f = FolderUnderTest.Create();
        string[] keys = ["%2e%2e%2f", "~root", "$(rm -rf)", "*?<>|", "a:b:c", "😀", "sessions.json", "x.jsonl", "heartbeat-ring.json", ".sessionkinds.lock", ".", "-", "tail."];

        foreach (var key in keys)
        {
            await f.RunAsync(SessionKind.User, key, "r");
        }

        var names = FolderSnapshot.Take(f.Temp.Root).Names.ToList();
        Assert.All(names, n => Assert.StartsWith("agent/", n, StringComparison.Ordinal));
        var transcripts = names.Where(n => n.EndsWith(".jsonl", StringComparison.Ordinal)).ToList();
        Assert.Equal(keys.Length, transcripts.Count);
        Assert.All(transcripts, n => Assert.True(Guid.TryParseExact(n["agent/".Length..^".jsonl".Length], "D", out _), n));
        Assert.Equal(["sessions.json"], f.DataFiles().Where(n => !n.EndsWith(".jsonl", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Tasks_whose_ring_is_not_a_plain_file_name_in_the_folder_are_refused_before_anything_is_written()
    {
        await using var f = FolderUnderTest.Create();
        var before = FolderSnapshot.Take(f.Temp.Root);

        // The generator and the analyzer (SKND0006) stop these at build time; the runtime refuses them too.
#pragma warning disable SKND0002 // Hand-written stand-ins the analyzers reject (see HandWrittenTasks.cs).
        AssertRefused<RingTask<AbsoluteRing>>(f.Store);
        AssertRefused<RingTask<SubfolderRing>>(f.Store);
        AssertRefused<RingTask<BackslashRing>>(f.Store);
        AssertRefused<RingTask<NulRing>>(f.Store);
        AssertRefused<RingTask<StoreOwnFileRing>>(f.Store);
        AssertRefused<RingTask<CronRunsRing>>(f.Store);
        AssertRefused<RingTask<LockFileRing>>(f.Store);
        AssertRefused<RingTask<DeviceRing>>(f.Store);
        AssertRefused<RingTask<TranscriptRing>>(f.Store);
#pragma warning restore SKND0002

        Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.Root).Files);
        Assert.False(File.Exists("/tmp/sessionkinds-ring.json"));
    }

    [Fact]
    public async Task Temp_files_a_crash_left_are_removed_when_a_store_opens_and_files_of_others_are_kept()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.AgentFolder);
        File.WriteAllText(temp.File(".sessions.json.3F2A1B0C9D8E.sktmp"), "{\"half");
        File.WriteAllText(temp.File(".heartbeat-ring.json.000000000000.sktmp"), "");
        File.WriteAllText(temp.File(".cron-runs.json.ABCDEF012345.sktmp"), "{");
        File.WriteAllText(temp.File("notes.tmp"), "not ours");
        File.WriteAllText(temp.File("sktmp"), "not ours either");

        await using (new FileSessionStore(temp.AgentFolder))
        {
            Assert.Empty(Directory.GetFiles(temp.AgentFolder, "*.sktmp"));
        }

        Assert.Equal("not ours", File.ReadAllText(temp.File("notes.tmp")));
        Assert.Equal("not ours either", File.ReadAllText(temp.File("sktmp")));
    }

    [Fact]
    public async Task Writes_leave_no_temp_files_behind()
    {
        await using var f = FolderUnderTest.Create(o => o.RotateAtBytes = 2_000);
        for (var i = 0; i < 60; i++)
        {
            await f.RunAsync(SessionKind.User, $"k{i}", "r");
            await f.RunAsync<InboxCheck>("hb", i % 5 == 0 ? "alert" : "HEARTBEAT_OK");
            await f.RunAsync<MorningBrief>("cron:brief", i % 2 == 0 ? "" : "Brief");
        }

        Assert.NotEmpty(f.Store.ListArchives());
        Assert.Empty(Directory.GetFiles(f.Folder, "*.sktmp"));
        Assert.Empty(FolderAudit.Inspect(f.Folder).Problems);
    }

    [Fact]
    public async Task A_reader_never_sees_a_torn_file_while_a_writer_rewrites_it()
    {
        await using var f = FolderUnderTest.Create();
        await f.RunAsync(SessionKind.User, "seed", new string('x', 50_000));
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var problems = new List<string>();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var path in new[] { f.SessionsPath, f.StatePath, f.RingPath })
                {
                    if (File.Exists(path) && FolderAudit.ProblemWithJsonObject(File.ReadAllBytes(path)) is { } problem)
                    {
                        lock (problems)
                        {
                            problems.Add($"{Path.GetFileName(path)}: {problem}");
                        }
                    }
                }

                Interlocked.Increment(ref reads);
            }
        });

        // Write until the reader has overlapped at least 100 rewrites' worth of reads (a count, not a duration).
        for (var i = 0; i < 100 || (Volatile.Read(ref reads) < 100 && i < 5_000 && !reader.IsCompleted); i++)
        {
            await f.RunAsync(SessionKind.User, $"k{i}", "r");
            await f.RunAsync<InboxCheck>("hb", "HEARTBEAT_OK");
        }

        await stop.CancelAsync();
        await reader;
        Assert.Empty(problems);
        Assert.True(reads >= 100, $"only {reads} reads overlapped the writes");
    }

    private static void AssertRefused<TTask>(SessionStore store)
        where TTask : IHeartbeatSessionTask
    {
        var start = Assert.Throws<InvalidOperationException>(() => store.StartSession<TTask>("agent:main:hb"));
        var writer = Assert.Throws<InvalidOperationException>(() => store.HeartbeatRing<TTask>());
        Assert.Contains("RingFile", start.Message, StringComparison.Ordinal);
        Assert.Contains("not a plain file name", writer.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", start.Message, StringComparison.Ordinal);
    }

    public sealed class AbsoluteRing : IRingFileName
    {
        public static string Value => "/tmp/sessionkinds-ring.json";
    }

    public sealed class SubfolderRing : IRingFileName
    {
        public static string Value => "rings/heartbeat.json";
    }

    public sealed class BackslashRing : IRingFileName
    {
        public static string Value => "..\\heartbeat.json";
    }

    public sealed class NulRing : IRingFileName
    {
        public static string Value => "ring.json\0.txt";
    }

    public sealed class StoreOwnFileRing : IRingFileName
    {
        public static string Value => "sessions.json";
    }

    public sealed class CronRunsRing : IRingFileName
    {
        public static string Value => "cron-runs.json";
    }

    public sealed class LockFileRing : IRingFileName
    {
        public static string Value => ".sessionkinds.lock";
    }

    public sealed class DeviceRing : IRingFileName
    {
        public static string Value => "aux.json";
    }

    public sealed class TranscriptRing : IRingFileName
    {
        public static string Value => "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d.jsonl";
    }
}
