using System.Globalization;

namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>
/// Bytes read and written per operation, measured with <see cref="IoCounters"/> in the benchmark's own process (during
/// its global setup) and handed to <see cref="IoColumn"/> in the host process through a small file per benchmark case.
/// </summary>
internal static class IoPerOperation
{
    private static readonly string Folder = Path.Combine(BenchFolders.Root, "io");

    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times and records the mean bytes per call.</summary>
    public static (double Read, double Written) Measure(string caseKey, int count, Action operation)
    {
        if (!IoCounters.Available)
        {
            return (double.NaN, double.NaN);
        }

        // Reading /proc/self/io is itself a read; subtract what one empty measurement costs.
        var empty = IoCounters.Now();
        var emptyDelta = IoCounters.Now() - empty;

        var before = IoCounters.Now();
        for (var i = 0; i < count; i++)
        {
            operation();
        }

        var delta = IoCounters.Now() - before;
        var read = (delta.BytesRead - emptyDelta.BytesRead) / (double)count;
        var written = (delta.BytesWritten - emptyDelta.BytesWritten) / (double)count;
        Directory.CreateDirectory(Folder);
        File.WriteAllText(PathOf(caseKey), string.Create(CultureInfo.InvariantCulture, $"{read:R} {written:R}"));
        return (read, written);
    }

    /// <summary>What <see cref="Measure"/> recorded for <paramref name="caseKey"/>, if anything.</summary>
    public static (double Read, double Written)? Find(string caseKey)
    {
        var path = PathOf(caseKey);
        if (!File.Exists(path))
        {
            return null;
        }

        var parts = File.ReadAllText(path).Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The key of a benchmark case: class, method and parameter values, e.g. <c>HeartbeatAckBenchmarks.Ours.Entries=100</c>.</summary>
    public static string Key(string type, string method, string parameters) =>
        string.Join('.', type, method, parameters.Length == 0 ? "-" : parameters).Replace('/', '_').Replace(' ', '_');

    private static string PathOf(string caseKey) => Path.Combine(Folder, caseKey + ".txt");
}
