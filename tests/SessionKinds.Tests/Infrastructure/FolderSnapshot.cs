namespace SessionKinds.Tests.Infrastructure;

/// <summary>Every file under a folder (recursively) with its bytes.</summary>
public sealed class FolderSnapshot
{
    private FolderSnapshot(SortedDictionary<string, byte[]> files)
    {
        Files = files;
    }

    public SortedDictionary<string, byte[]> Files { get; }

    public IEnumerable<string> Names => Files.Keys;

    public static FolderSnapshot Take(string folder)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                files[Path.GetRelativePath(folder, path).Replace('\\', '/')] = System.IO.File.ReadAllBytes(path);
            }
        }

        return new FolderSnapshot(files);
    }
}
