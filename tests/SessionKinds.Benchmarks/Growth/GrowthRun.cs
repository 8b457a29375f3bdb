using System.Diagnostics;
using System.Globalization;
using HeartbeatAgent;

namespace SessionKinds.Benchmarks.Growth;

/// <summary>
/// E. Growth: the sample's <see cref="AgentSimulation"/> (samples/HeartbeatAgent) played one day at a time for several
/// agents on a fake clock; each reply is persisted by SessionKinds and by the naive path (every session a full entry and
/// transcript, through the same store). After every simulated day all agents' folders are measured. Same first day and
/// seeds as the sample (seed + agent number).
/// </summary>
internal static class GrowthRun
{
    /// <summary>The sample's first simulated day.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static async Task<GrowthResult> RunAsync(int agents, int days, int seed, string folder, TextWriter? progress, CancellationToken cancellationToken)
    {
        var kinds = new FolderBytes[days];
        var naive = new FolderBytes[days];
        var kindsFolders = new List<string>();
        var naiveFolders = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        for (var agent = 1; agent <= agents; agent++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"agent-{agent:00}");
            var kindsFolder = Path.Combine(folder, "sessionkinds", name);
            var naiveFolder = Path.Combine(folder, "naive", name);
            kindsFolders.Add(kindsFolder);
            naiveFolders.Add(naiveFolder);
            var simulation = new AgentSimulation(name, kindsFolder, naiveFolder, new SimulatedClock(Start), seed + agent);
            for (var day = 0; day < days; day++)
            {
                // RunAsync plays the days [start, start + days); the clock only moves forward, so day after day is the same run.
                await simulation.RunAsync(Start.AddDays(day), 1, cancellationToken);
                kinds[day] += FolderBytes.Measure(kindsFolder);
                naive[day] += FolderBytes.Measure(naiveFolder);
            }

            progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {days} day(s) simulated ({stopwatch.Elapsed.TotalSeconds:0} s so far)"));
        }

        var rows = Enumerable.Range(0, days).Select(d => new GrowthDay(d + 1, kinds[d], naive[d])).ToList();
        return new GrowthResult(agents, days, seed, rows, FolderReport.Measure(kindsFolders), FolderReport.Measure(naiveFolders), stopwatch.Elapsed);
    }
}

/// <summary>A growth run: one row per day, and the sample's own report of the final folders.</summary>
internal sealed record GrowthResult(int Agents, int Days, int Seed, IReadOnlyList<GrowthDay> Rows, FolderReport FinalSessionKinds, FolderReport FinalNaive, TimeSpan Elapsed);
