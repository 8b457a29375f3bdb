namespace SessionKinds.IntegrationTests.Infrastructure;

/// <summary>Finds the repository the tests were built from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string RuntimeProject => Path.Combine(Root, "src", "SessionKinds", "SessionKinds.csproj");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionKinds.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SessionKinds.sln above {AppContext.BaseDirectory}: run the integration tests from a clone of the repository.");
    }
}
