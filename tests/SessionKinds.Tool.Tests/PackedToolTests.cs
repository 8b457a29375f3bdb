using System.Globalization;
using SessionKinds.IntegrationTests.Infrastructure;
using SessionKinds.Testing;
using SessionKinds.Tool.Tests.Infrastructure;

namespace SessionKinds.Tool.Tests;

/// <summary>
/// Packs SessionKinds.Tool into a temp folder feed, installs it with <c>dotnet tool install --tool-path</c> from that feed
/// alone, and runs the installed <c>sessionkinds</c> command the way a user does. Each run gets its own version, so the
/// NuGet cache never serves a package of an earlier run; the build goes to its own artifacts folder.
/// </summary>
public sealed class InstalledTool : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "sessionkinds-tool-" + Guid.NewGuid().ToString("N")[..12]);

    public string Version { get; } = "0.2.0-tool." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId;

    public string Command => Path.Combine(Root, "tools", OperatingSystem.IsWindows() ? "sessionkinds.exe" : "sessionkinds");

    public async Task InitializeAsync()
    {
        var feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(feed);
        (await DotNetCli.RunAsync(
            RepositoryPaths.Root,
            "pack", RepositoryPaths.Get("src/SessionKinds.Tool/SessionKinds.Tool.csproj"),
            "-c", "Release",
            "-o", feed,
            "--disable-build-servers",
            $"-p:Version={Version}",
            $"-p:ArtifactsPath={Path.Combine(Root, "artifacts")}")).EnsureSuccess();

        // Only the temp feed: the install must not depend on (or reach) any other source.
        var config = Path.Combine(Root, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        (await DotNetCli.RunAsync(
            Root,
            "tool", "install", "SessionKinds.Tool",
            "--tool-path", Path.Combine(Root, "tools"),
            "--version", Version,
            "--configfile", config)).EnsureSuccess();
    }

    public Task DisposeAsync()
    {
        TryDelete(Root);
        var nugetPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(nugetPackages, "sessionkinds.tool", Version));
        return Task.CompletedTask;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

public sealed class PackedToolTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    [Fact]
    public async Task The_installed_command_inspects_and_plans_a_gateway_store_exactly_like_the_entry_point()
    {
        using var folder = new TempFolder();
        GatewayFolders.Create(folder.Path, 2_000);
        var before = FolderSnapshot.Take(folder.Path);

        var inspect = await DotNetCli.RunProcessAsync(tool.Command, folder.Path, ["inspect", folder.Path]);
        var dryRun = await DotNetCli.RunProcessAsync(tool.Command, folder.Path, ["compact", "--dry-run", folder.Path]);
        var usage = await DotNetCli.RunProcessAsync(tool.Command, folder.Path, ["compact"]);

        Assert.True(inspect.ExitCode == 0, inspect.Output);
        Assert.True(dryRun.ExitCode == 0, dryRun.Output);
        Assert.Equal((await ToolRunner.RunAsync("inspect", folder.Path)).Output, inspect.Output);
        Assert.Equal((await ToolRunner.RunAsync("compact", "--dry-run", folder.Path)).Output, dryRun.Output);
        Assert.Contains("entries and transcripts by kind", inspect.Output, StringComparison.Ordinal);
        Assert.EndsWith("Dry run: nothing was changed. Run without --dry-run to compact; a sessions-<timestamp>.json.gz backup of the whole store is written first.\n", dryRun.Output, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(before, FolderSnapshot.Take(folder.Path));
    }

    [Fact]
    public async Task The_installed_command_imports_into_sqlite_with_the_native_library_it_carries()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "agents", "main", "sessions");
        Directory.CreateDirectory(folder);
        SmallStores.Write(folder);
        var database = temp.File("sessions.db");

        var import = await DotNetCli.RunProcessAsync(tool.Command, temp.Path, ["import", folder, "--to", "sqlite:" + database]);

        Assert.True(import.ExitCode == 0, import.Output);
        Assert.Contains($"Imported 9 entries, 7 transcripts (21 lines), 0 ring entries and 0 cron runs into SQLite database {database}, agent main.", import.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(database));
    }
}
