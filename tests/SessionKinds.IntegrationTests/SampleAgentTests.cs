using System.Text.Json;
using SessionKinds.IntegrationTests.Infrastructure;
using SessionKinds.Testing;

namespace SessionKinds.IntegrationTests;

/// <summary>The README's main job, run as a program: it simulates agents and writes real agent folders.</summary>
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
        foreach (var row in new[] { "sessions.json", "transcripts (*.jsonl)", "heartbeat-state.json", "heartbeat-ring.json", "total" })
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
        }
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
