using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Files;

/// <summary>
/// A 50 MB <c>sessions.json</c> (the size at which the gateway this package replaces stopped answering): acks never touch
/// it; a completion against it rewrites it keeping every entry byte for byte; with the default 10 MB limit it rotates,
/// the archive holding every entry and the live file the 100 newest. Durations are printed, not asserted.
/// </summary>
[Collection(ChildProcessCollection.Name)] // alone: it needs a few hundred MB and a core for a few seconds
public sealed class LargeStoreTests(ITestOutputHelper output)
{
    private const int TargetBytes = 50 * 1024 * 1024;

    [Fact]
    [Trait("Category", "Guarantees")]
    public async Task A_50_MB_store_is_never_touched_by_acks_and_a_completion_against_it_rewrites_or_rotates_it_keeping_every_entry()
    {
        await using var f = FolderUnderTest.Create(); // default options: rotation at 10 MB
        var generated = Stopwatch.StartNew();
        var entries = Generate(f.SessionsPath, seed: 50);
        generated.Stop();
        var original = File.ReadAllBytes(f.SessionsPath);
        var originalHash = SHA256.HashData(original);
        Assert.InRange(original.Length, TargetBytes, TargetBytes + 4096);

        // A heartbeat ack and a silent cron run neither read nor write sessions.json, whatever its size.
        var ack = Stopwatch.StartNew();
        await f.RunAsync<InboxCheck>("agent:main:heartbeat", "HEARTBEAT_OK");
        ack.Stop();
        await f.RunAsync<MorningBrief>("cron:brief", "NO_REPLY");
        Assert.Equal(originalHash, SHA256.HashData(File.ReadAllBytes(f.SessionsPath)));

        var read = Stopwatch.StartNew();
        Assert.Equal(entries, (await f.Store.ReadSessionsAsync()).Count);
        read.Stop();

        // Without rotation (limit raised), a completion rewrites all 50 MB and keeps every entry.
        var rewrite = Stopwatch.StartNew();
        await using (var big = f.Open(o => o.RotateAtBytes = 1L << 30))
        {
            var added = await big.CompleteAsync(big.StartSession(SessionKind.User, "agent:main:new"), "hi");
            rewrite.Stop();
            Assert.Null(added.ArchivePath);
        }

        var afterRewrite = RawEntries(File.ReadAllBytes(f.SessionsPath));
        Assert.Equal(entries + 1, afterRewrite.Count);
        AssertSameEntries(RawEntries(original), afterRewrite, except: "agent:main:new");

        // With the default 10 MB limit, the next completion (continuing an old session) rotates.
        var beforeRotation = File.ReadAllBytes(f.SessionsPath);
        var rotate = Stopwatch.StartNew();
        var outcome = await f.RunAsync(SessionKind.User, "agent:main:telegram:dm:5", "again");
        rotate.Stop();

        Assert.True(outcome.ContinuedExistingSession);
        Assert.NotNull(outcome.ArchivePath);
        var archived = RawEntries(FolderAudit.Gunzip(File.ReadAllBytes(outcome.ArchivePath)));
        Assert.Equal(entries + 1, archived.Count);
        AssertSameEntries(RawEntries(beforeRotation), archived, except: "agent:main:telegram:dm:5");
        var live = RawEntries(File.ReadAllBytes(f.SessionsPath));
        Assert.Equal(100, live.Count);
        Assert.Contains("agent:main:telegram:dm:5", live.Keys);
        Assert.Contains("agent:main:new", live.Keys);
        Assert.Contains($"agent:main:telegram:dm:{entries - 1}", live.Keys); // the newest by updatedAt
        Assert.True(new FileInfo(f.SessionsPath).Length < 64 * 1024);

        output.WriteLine($"50 MB store: {original.Length / 1024.0 / 1024.0:F1} MB, {entries} entries with foreign fields (generated in {generated.Elapsed.TotalSeconds:F1} s)");
        output.WriteLine($"  heartbeat ack beside it: {ack.Elapsed.TotalMilliseconds:F0} ms, sessions.json untouched (and by a silent cron run)");
        output.WriteLine($"  ReadSessionsAsync: {read.Elapsed.TotalSeconds:F2} s");
        output.WriteLine($"  completion without rotation (rewrite of 50 MB, every entry kept byte for byte): {rewrite.Elapsed.TotalSeconds:F2} s");
        output.WriteLine($"  completion with the default 10 MB limit: rotated in {rotate.Elapsed.TotalSeconds:F2} s into a {new FileInfo(outcome.ArchivePath).Length / 1024.0 / 1024.0:F1} MB archive holding all {archived.Count} entries; live file {new FileInfo(f.SessionsPath).Length / 1024} KB with 100 entries");
    }

    /// <summary>
    /// Writes a realistic store of about 50 MB (gateway-like entries with fields this library does not know), updated one
    /// second apart and all before <see cref="Clock.Start"/>; returns the entry count.
    /// </summary>
    private static int Generate(string path, int seed)
    {
        var random = new Random(seed);
        Span<byte> id = stackalloc byte[16];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        file.Write("{\n"u8);
        var count = 0;
        var builder = new StringBuilder(512);
        while (file.Length < TargetBytes - 512)
        {
            random.NextBytes(id);
            builder.Clear()
                .Append(count == 0 ? "" : ",\n")
                .Append("  \"agent:main:telegram:dm:").Append(count).Append("\": {\"sessionId\": \"").Append(new Guid(id).ToString("D"))
                .Append("\", \"kind\": \"user\", \"updatedAt\": ").Append(1_735_000_000_000L + (count * 1000L))
                .Append(", \"channel\": \"telegram\", \"label\": \"chat ").Append(count)
                .Append("\", \"inputTokens\": ").Append(random.Next())
                .Append(", \"origin\": {\"chatType\": \"direct\", \"from\": \"user").Append(count % 977).Append("\", \"emoji\": \"\\ud83d\\ude00\"}}");
            file.Write(Encoding.UTF8.GetBytes(builder.ToString()));
            count++;
        }

        var pad = TargetBytes - (int)file.Length - 3;
        file.Write(Encoding.ASCII.GetBytes(new string(' ', Math.Max(0, pad))));
        file.Write("\n}\n"u8);
        return count;
    }

    private static Dictionary<string, string> RawEntries(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            result[property.Name] = property.Value.GetRawText();
        }

        return result;
    }

    private static void AssertSameEntries(Dictionary<string, string> expected, Dictionary<string, string> actual, string except)
    {
        var differing = expected.Where(e => e.Key != except && (!actual.TryGetValue(e.Key, out var raw) || raw != e.Value)).Select(e => e.Key).Take(5).ToList();
        Assert.True(differing.Count == 0, $"entries changed or missing: {string.Join(", ", differing)}");
    }
}
