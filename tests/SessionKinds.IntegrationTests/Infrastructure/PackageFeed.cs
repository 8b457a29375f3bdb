using System.Globalization;
using SessionKinds.Testing;

namespace SessionKinds.IntegrationTests.Infrastructure;

/// <summary>
/// Packs the repository's SessionKinds package once per test run into a temp folder feed. The build goes to
/// its own artifacts folder, so it never races the solution build that runs the other test projects, and
/// every run gets a unique version, so the NuGet cache never serves a package from an earlier run.
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "sessionkinds-it-" + Guid.NewGuid().ToString("N")[..12]);

    public string FeedFolder => Path.Combine(Root, "feed");

    public string Version { get; } = "0.2.0-it." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId;

    public string PackagePath => Path.Combine(FeedFolder, $"SessionKinds.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FeedFolder);
        await DotNetCli.RunAsync(
            RepositoryPaths.Root,
            "pack", RepositoryPaths.Get("src/SessionKinds/SessionKinds.csproj"),
            "-c", "Release",
            "-o", FeedFolder,
            "--disable-build-servers",
            $"-p:Version={Version}",
            $"-p:ArtifactsPath={Path.Combine(Root, "artifacts")}").ContinueWith(t => t.Result.EnsureSuccess(), TaskScheduler.Default);
    }

    public Task DisposeAsync()
    {
        TryDelete(Root);
        // The consumers restored this one-off version into the global cache; remove it again.
        var nugetPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(nugetPackages, "sessionkinds", Version));
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
        catch (IOException)
        {
            // A temp folder left behind is harmless; never fail a test run over it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "Packed SessionKinds feed";
}
