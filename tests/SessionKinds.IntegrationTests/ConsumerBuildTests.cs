using System.Text.Json;
using SessionKinds.IntegrationTests.Consumers;
using SessionKinds.IntegrationTests.Infrastructure;

namespace SessionKinds.IntegrationTests;

/// <summary>Real consumer projects that reference the packed SessionKinds package, built and run with the dotnet CLI.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class ConsumerBuildTests(PackageFeed feed)
{
    [Theory]
    [InlineData("net8.0")]
    [InlineData("net10.0")]
    public async Task Correct_agent_builds_without_warnings_and_writes_the_files_of_every_route(string targetFramework)
    {
        var project = ConsumerProject.Create(feed, "CorrectAgent", targetFramework, new Dictionary<string, string> { ["Program.cs"] = ConsumerSources.CorrectAgent });

        var build = (await project.BuildAsync()).EnsureSuccess();
        Assert.Contains("0 Warning(s)", build.Output, StringComparison.Ordinal);
        Assert.Contains("0 Error(s)", build.Output, StringComparison.Ordinal);

        var agentFolder = Path.Combine(project.Folder, "agent");
        var run = (await project.RunAsync(agentFolder)).EnsureSuccess();

        // The generated registry lists every task with its kind, without reflection.
        Assert.Equal(
            ["task ChatTurn user", "task InboxCheck heartbeat", "task MorningBrief cron", "task Research subagent"],
            run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("task ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        // sessions.json: the alert, the chat and the subagent; never the ack or the silent cron run.
        using var sessions = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(agentFolder, "sessions.json")));
        var entries = sessions.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        Assert.Equal(["agent:main:heartbeat:0730", "agent:main:main", "agent:main:subagent:1"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("heartbeat", entries["agent:main:heartbeat:0730"].GetProperty("kind").GetString());
        Assert.Equal("user", entries["agent:main:main"].GetProperty("kind").GetString());
        Assert.Equal("subagent", entries["agent:main:subagent:1"].GetProperty("kind").GetString());

        // One transcript per persisted session, named by its id.
        var transcripts = Directory.GetFiles(agentFolder, "*.jsonl").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(entries.Values.Select(e => e.GetProperty("sessionId").GetString()).Order(StringComparer.Ordinal), transcripts);

        // The heartbeat state and ring saw both heartbeats: the ack first, then the alert.
        using var state = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(agentFolder, "heartbeat-state.json")));
        Assert.Equal(0, state.RootElement.GetProperty("consecutiveOKs").GetInt32());
        Assert.True(state.RootElement.GetProperty("lastAck").GetInt64() > 1_600_000_000_000, "lastAck is epoch milliseconds");

        using var ring = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(agentFolder, "heartbeat-ring.json")));
        Assert.Equal(5, ring.RootElement.GetProperty("maxEntries").GetInt32());
        Assert.Equal(["ok", "alert"], ring.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("result").GetString()));

        // The silent cron run left only its run record.
        using var runs = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(agentFolder, "cron-runs.json")));
        var run0 = Assert.Single(runs.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("MorningBrief silent NO_REPLY", $"{run0.GetProperty("task").GetString()} {run0.GetProperty("verdict").GetString()} {run0.GetProperty("summary").GetString()}");
    }

    [Fact]
    public async Task Kindless_task_fails_the_build_with_SKND0001_at_the_class_identifier()
    {
        var project = ConsumerProject.Create(feed, "KindlessAgent", "net10.0", new Dictionary<string, string> { ["Program.cs"] = ConsumerSources.KindlessTask });

        var build = await project.BuildAsync();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("Program.cs(3,21): error SKND0001: 'Orphan' implements IAgentTask but has no session kind attribute", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dotnet_format_applies_the_package_code_fix_and_the_project_then_builds()
    {
        var project = ConsumerProject.Create(feed, "FixedByFormat", "net10.0", new Dictionary<string, string> { ["Program.cs"] = ConsumerSources.KindlessTask });
        Assert.NotEqual(0, (await project.BuildAsync()).ExitCode);

        (await DotNetCli.RunAsync(project.Folder, "format", "analyzers", project.ProjectFile, "--diagnostics", "SKND0001", "--severity", "error", "--verbosity", "diagnostic")).EnsureSuccess();

        var fixedSource = project.ReadSource("Program.cs");
        Assert.Contains("[UserSession]", fixedSource, StringComparison.Ordinal);
        Assert.Contains("public sealed partial class Orphan : IAgentTask", fixedSource, StringComparison.Ordinal);
        (await project.BuildAsync()).EnsureSuccess();
    }

    [Fact]
    public async Task SKND0007_fails_a_warnings_as_errors_build_until_editorconfig_turns_it_off()
    {
        var failing = ConsumerProject.Create(feed, "AttributeOnNonTask", "net10.0", new Dictionary<string, string> { ["Program.cs"] = ConsumerSources.AttributeOnNonTask });
        var build = await failing.BuildAsync();
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("Program.cs(4,21): error SKND0007:", build.Output, StringComparison.Ordinal);

        var silenced = ConsumerProject.Create(
            feed,
            "AttributeOnNonTaskSilenced",
            "net10.0",
            new Dictionary<string, string> { ["Program.cs"] = ConsumerSources.AttributeOnNonTask },
            editorConfig: "[*.cs]\ndotnet_diagnostic.SKND0007.severity = none\n");
        var silencedBuild = (await silenced.BuildAsync()).EnsureSuccess();
        Assert.DoesNotContain("SKND0007", silencedBuild.Output, StringComparison.Ordinal);
    }
}
