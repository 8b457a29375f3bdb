using System.Text.Json;
using SessionKinds.IntegrationTests.Infrastructure;
using SessionKinds.Testing;

namespace SessionKinds.IntegrationTests;

/// <summary>
/// The README's main job, run as a program: agents hosted by the Generic Host and the SessionKinds scheduler on a
/// fast-forwarded clock write real agent folders; the sample also publishes trimmed (self-contained) without a warning.
/// </summary>
public sealed class SampleAgentTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "heartbeat-agent-test-" + Guid.NewGuid().ToString("N")[..12]);

    // The sample is built beside this assembly's configuration (Debug or Release) by the project reference.
    private static string SampleAssembly => Path.Combine(
        RepositoryPaths.Root, "samples", "HeartbeatAgent", "bin",
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0", "HeartbeatAgent.dll");

    [Fact]
    public async Task Sample_simulates_two_agents_and_reports_every_file_against_the_naive_store()
    {
        var run = (await DotNetCli.RunProcessAsync("dotnet", RepositoryPaths.Root, [SampleAssembly, "--days", "3", "--agents", "2", "--out", _output])).EnsureSuccess();

        var kindsAgent = Path.Combine(_output, "sessionkinds", "agent-01");
        Assert.Contains($"Agent folder written by SessionKinds: {kindsAgent}", run.Output, StringComparison.Ordinal);
        Assert.Contains("the Generic Host and the SessionKinds scheduler on a fast-forwarded clock", run.Output, StringComparison.Ordinal);
        foreach (var row in new[] { "sessions.json", "transcripts (*.jsonl)", "heartbeat-state.json", "heartbeat-ring.json", "cron-runs.json", "schedule-claims.json", "total" })
        {
            Assert.Contains("\n  " + row + " ", run.Output, StringComparison.Ordinal);
        }

        foreach (var agent in new[] { "agent-01", "agent-02" })
        {
            var kinds = Path.Combine(_output, "sessionkinds", agent);
            var naive = Path.Combine(_output, "naive", agent);

            // 3 days of 30-minute heartbeats: the naive store keeps all 144, SessionKinds only the alerts.
            var naiveEntries = CountEntries(naive);
            var kindsEntries = CountEntries(kinds);
            Assert.True(naiveEntries >= 144, $"{agent}: the naive store has {naiveEntries} entries, fewer than the 144 heartbeats alone");
            Assert.True(kindsEntries < naiveEntries / 3, $"{agent}: SessionKinds kept {kindsEntries} of {naiveEntries} entries");
            Assert.Equal(kindsEntries, Directory.GetFiles(kinds, "*.jsonl").Length);

            using var ring = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(kinds, "heartbeat-ring.json")));
            Assert.Equal(50, ring.RootElement.GetProperty("entries").GetArrayLength());

            // The scheduler ran each cron occurrence once (3 morning briefs, 12 cleanups), each on its first claim.
            using var runs = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(kinds, "cron-runs.json")));
            Assert.Equal(3 + 12, runs.RootElement.GetProperty("runs").GetArrayLength());
            using var claims = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(kinds, "schedule-claims.json")));
            var done = claims.RootElement.GetProperty("claims").EnumerateArray().ToList();
            Assert.NotEmpty(done);
            Assert.All(done, c => Assert.Equal((true, 1), (c.GetProperty("done").GetBoolean(), c.GetProperty("attempt").GetInt32())));

            // The gateway's key shapes: the heartbeat's alerts continue one isolated session, cron runs have a key each.
            using var sessions = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(kinds, "sessions.json")));
            var keys = sessions.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Contains($"agent:{agent}:inbox-check:heartbeat", keys);
            Assert.Contains(keys, k => k.StartsWith($"agent:{agent}:cron:morning-brief:run:2026010", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Sample_publishes_trimmed_and_self_contained_without_a_warning_and_runs()
    {
        var publish = Path.Combine(_output, "published");
        var build = (await DotNetCli.RunProcessAsync("dotnet", RepositoryPaths.Root,
        [
            "publish", "samples/HeartbeatAgent/HeartbeatAgent.csproj", "-c", "Release", "-r", "linux-x64", "-p:SampleTrimmed=true", "-o", publish,
        ])).EnsureSuccess();

        Assert.DoesNotContain("warning", build.Output, StringComparison.OrdinalIgnoreCase);
        // Trimmed: the framework's unused assemblies are gone (an untrimmed self-contained publish carries System.Private.Xml).
        Assert.False(File.Exists(Path.Combine(publish, "System.Private.Xml.dll")), "the publish was not trimmed");
        Assert.True(File.Exists(Path.Combine(publish, "libclrjit.so")), "the publish is not self-contained");
        var run = (await DotNetCli.RunProcessAsync(Path.Combine(publish, "HeartbeatAgent"), RepositoryPaths.Root, ["--days", "1", "--out", Path.Combine(_output, "run")])).EnsureSuccess();
        Assert.Contains("\n  total ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_rejects_a_bad_option_with_a_message_and_exit_code_2()
    {
        var run = await DotNetCli.RunProcessAsync("dotnet", RepositoryPaths.Root, [SampleAssembly, "--days", "zero"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--days needs a whole number from 1 to 3650.", run.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    private static int CountEntries(string agentFolder)
    {
        using var sessions = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(agentFolder, "sessions.json")));
        return sessions.RootElement.EnumerateObject().Count();
    }
}
