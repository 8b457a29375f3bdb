using System.Text;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Reliability;

/// <summary>
/// Issue 7, item 5: no input makes the store write outside the agent folder (hostile keys: SessionKeyValidationTests and the
/// fuzz below; tampered session ids; ring file names; planted links: SymlinkTests), and archives are never overwritten.
/// Owner-only modes: DurabilityTests, and every file of the crash and concurrency runs (FolderAudit).
/// </summary>
public class SecurityTests
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
    public void A_tampered_session_id_in_sessions_json_never_becomes_a_path(string tampered)
    {
        using var f = new StoreFixture();
        var escaped = Encoding.UTF8.GetString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(tampered));
        File.WriteAllText(f.SessionsPath, $$$"""{"agent:main:main": {"sessionId": {{{escaped}}}, "kind": "user", "updatedAt": 1, "label": "keep"}}""");
        var outside = FolderSnapshot.Take(f.Temp.Root).Names.Where(n => !n.StartsWith("agent/", StringComparison.Ordinal)).ToList();

        var user = f.Run(SessionKind.User, "agent:main:main", "hi");
        var alert = f.Run<InboxCheck>("agent:main:main", "Disk 97% full");

        // A new session id replaced the unusable one; its transcript is the only new file, and it is in the folder.
        Assert.False(user.ContinuedExistingSession);
        Assert.True(Guid.TryParseExact(user.SessionId, "D", out _));
        Assert.Equal(user.SessionId, alert.SessionId);
        Assert.Equal(
            [".sessionkinds.lock", ".sessionkinds.lock.owner", user.SessionId + ".jsonl", "heartbeat-ring.json", "heartbeat-state.json", "sessions.json"],
            Directory.EnumerateFiles(f.Temp.AgentFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(outside, FolderSnapshot.Take(f.Temp.Root).Names.Where(n => !n.StartsWith("agent/", StringComparison.Ordinal)));
        Assert.False(File.Exists("/tmp/sessionkinds-absolute.jsonl"));
        Assert.Contains("\"label\": \"keep\"", File.ReadAllText(f.SessionsPath), StringComparison.Ordinal);
        if (tampered.Length > 0)
        {
            Assert.Throws<ArgumentException>(() => f.Store.ReadTranscript(tampered));
        }
    }

    [Fact]
    public void Ring_files_that_are_not_plain_names_in_the_folder_are_refused_before_anything_is_written()
    {
        using var f = new StoreFixture();
        var before = FolderSnapshot.Take(f.Temp.Root);

        // The generator and analyzer (SKND0006) stop these at compile time; the runtime refuses them too.
        AssertRefused<RingTask<AbsoluteRing>>(f, AbsoluteRing.Value);
        AssertRefused<RingTask<SubfolderRing>>(f, SubfolderRing.Value);
        AssertRefused<RingTask<BackslashRing>>(f, BackslashRing.Value);
        AssertRefused<RingTask<NulRing>>(f, NulRing.Value);
        AssertRefused<RingTask<StoreOwnFileRing>>(f, StoreOwnFileRing.Value);
        AssertRefused<RingTask<LockFileRing>>(f, LockFileRing.Value);
        AssertRefused<RingTask<DeviceRing>>(f, DeviceRing.Value);
        foreach (var name in new[] { AbsoluteRing.Value, SubfolderRing.Value, BackslashRing.Value, NulRing.Value, LockFileRing.Value, ".", "..", "sessions-2025-01-02T03-04-05Z.json.gz", "a.sktmp", " ring.json" })
        {
            Assert.Throws<ArgumentException>(() => f.Store.ReadHeartbeatRing(name));
        }

        Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.Root).Files);
    }

    [Fact]
    public void Two_thousand_seeded_hostile_keys_are_rejected_or_stored_and_nothing_lands_outside_the_folder()
    {
        using var f = new StoreFixture();
        var random = new Random(2_000);
        string[] pieces = ["/", "\\", "..", ".", ":", "\0", "\n", "\u202E", "CON", "nul", "COM1", "LPT¹", "agent", "main", " ", "~", "$", "%2e%2e", "😀", "\uD800", "C:", "\\\\?\\", "*", "?"];
        var rejected = 0;
        var stored = new List<string>();
        for (var i = 0; i < 2_000; i++)
        {
            var builder = new StringBuilder();
            var length = random.Next(1, 8);
            for (var p = 0; p < length; p++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            if (random.Next(100) == 0)
            {
                builder.Append('k', 10_000);
            }

            var key = builder.ToString();
            SessionHandle session;
            try
            {
                session = f.Store.StartSession(SessionKind.User, key);
            }
            catch (ArgumentException ex)
            {
                Assert.Equal("sessionKey", ex.ParamName);
                Assert.Contains("Nothing was written", ex.Message, StringComparison.Ordinal);
                rejected++;
                continue;
            }

            if (stored.Count < 100)
            {
                f.Store.Complete(session, "r"); // a sample is written: keys are JSON property names, never paths
                stored.Add(key);
            }
        }

        Assert.True(rejected > 1_000 && stored.Count > 10, $"rejected {rejected}, stored {stored.Count}");
        Assert.Equal(stored.Distinct().Order(StringComparer.Ordinal), f.Store.ReadSessions().Select(e => e.Key).Order(StringComparer.Ordinal));
        var names = FolderSnapshot.Take(f.Temp.Root).Names.ToList();
        Assert.All(names, n => Assert.StartsWith("agent/", n, StringComparison.Ordinal));
        Assert.All(names.Where(n => n.EndsWith(".jsonl", StringComparison.Ordinal)), n => Assert.True(Guid.TryParseExact(n[6..^6], "D", out _), n));
    }

    [Fact]
    public void Two_stores_rotating_in_the_same_millisecond_and_second_never_overwrite_an_archive()
    {
        // Two stores on one folder with clocks frozen at the same instant (as two processes rotating at once would be),
        // then clocks one millisecond apart within the same second.
        using var temp = new TempFolder();
        var clockA = Clock.NewFake();
        var clockB = Clock.NewFake();
        void Configure(AgentStoreOptions o)
        {
            o.RotateAtBytes = 1_200;
            o.EntriesKeptAfterRotation = 2;
            o.ArchivesToKeep = 1_000;
        }

        using var a = new AgentStore(temp.AgentFolder, Clock.Options(clockA, Configure));
        using var b = new AgentStore(temp.AgentFolder, Clock.Options(clockB, Configure));
        var archives = new ArchiveCache();
        var written = new List<string>();
        for (var i = 0; written.Count < 12; i++)
        {
            Assert.True(i < 2_000);
            if (written.Count == 6 && clockA.GetUtcNow() == Clock.Start)
            {
                clockA.Advance(TimeSpan.FromMilliseconds(1));
                clockB.Advance(TimeSpan.FromMilliseconds(1));
            }

            var store = i % 2 == 0 ? a : b;
            var archive = store.Complete(store.StartSession(SessionKind.User, $"k{i:D4}"), "r").ArchivePath;
            if (archive is not null)
            {
                var sessionsBefore = File.ReadAllBytes(store.SessionsPath);
                Assert.Null(archives.Add(archive));
                written.Add(Path.GetFileName(archive));
                Assert.Empty(archives.VerifyUnchanged(temp.AgentFolder)); // every earlier archive still has its bytes
                Assert.NotEmpty(sessionsBefore);
            }
        }

        Assert.Equal(12, written.Distinct().Count());
        Assert.All(written.Take(6), n => Assert.StartsWith("sessions-2025-01-02T03-04-05.678Z", n, StringComparison.Ordinal));
        Assert.All(written.Skip(6), n => Assert.StartsWith("sessions-2025-01-02T03-04-05.679Z", n, StringComparison.Ordinal));
        Assert.Equal(written.AsEnumerable().Reverse(), a.ListArchives().Select(Path.GetFileName)); // newest first, in the order written
    }

    private static void AssertRefused<TTask>(StoreFixture f, string ringFile)
        where TTask : IHeartbeatSessionTask
    {
        var start = Assert.Throws<InvalidOperationException>(() => f.Store.StartSession<TTask>("agent:main:hb"));
        var writer = Assert.Throws<InvalidOperationException>(() => f.Store.HeartbeatRing<TTask>());
        Assert.Contains("RingFile", start.Message, StringComparison.Ordinal);
        Assert.Contains("not a plain file name", writer.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", start.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(ringFile));
    }

    public interface IRingFileName
    {
        static abstract string Value { get; }
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

    public sealed class LockFileRing : IRingFileName
    {
        public static string Value => ".sessionkinds.lock";
    }

    public sealed class DeviceRing : IRingFileName
    {
        public static string Value => "aux.json";
    }

    /// <summary>A heartbeat task (hand-written as the generator would complete it) whose ring file name comes from <typeparamref name="TName"/>.</summary>
    public sealed class RingTask<TName> : IAgentTask, IHeartbeatSessionTask
        where TName : IRingFileName
    {
        public static HeartbeatSettings Heartbeat { get; } = new(RingSize: 50, AckMaxChars: 300, RingFile: TName.Value);

        public static SessionTaskInfo SessionInfo { get; } = new($"Reliability.RingTask<{typeof(TName).Name}>", SessionKind.Heartbeat, Heartbeat);

        public static ReplyRoute Route(string reply) => SessionRoutes.Heartbeat(reply, Heartbeat.AckMaxChars);

        public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply(HeartbeatAck.Token));
    }
}
