namespace SessionKinds.Testing;

/// <summary>Finds files of the repository from a test output folder (bin/… lies inside the repository); linked into each test project that needs it.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SessionKinds.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SessionKinds.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    });

    /// <summary>The folder that contains <c>SessionKinds.sln</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>A path relative to the repository root, with '/' separators.</summary>
    public static string Get(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));
}
