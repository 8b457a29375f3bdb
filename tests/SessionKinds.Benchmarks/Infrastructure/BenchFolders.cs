namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>Scratch folders for the runtime benchmarks, under the system temp folder (the disk BENCHMARKS.md describes).</summary>
internal static class BenchFolders
{
    /// <summary>The root of every scratch folder; override with <c>SESSIONKINDS_BENCH_TMP</c> to measure another disk.</summary>
    public static string Root { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("SESSIONKINDS_BENCH_TMP") is { Length: > 0 } custom ? custom : Path.GetTempPath(),
        "SessionKinds.Benchmarks");

    /// <summary>A new, empty folder named after <paramref name="purpose"/>, unique to this process.</summary>
    public static string Create(string purpose)
    {
        var path = Path.Combine(Root, $"{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a folder this process created; never throws (a leftover temp folder is harmless).</summary>
    public static void Delete(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
