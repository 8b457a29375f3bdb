using System.Globalization;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.Growth;

/// <summary>
/// <c>--growth [--agents n] [--days n] [--seed n] [--out dir] [--write dir]</c>: runs <see cref="GrowthRun"/> and prints
/// the tables (the first week and every 15th day, then every day); with <c>--write</c>, also writes <c>BENCHMARKS.growth.csv</c> (every day) and <c>BENCHMARKS.growth.svg</c>
/// into that folder (the repository root, next to BENCHMARKS.md).
/// </summary>
internal static class GrowthCommand
{
    public const string Usage = "--growth [--agents <n> (10)] [--days <n> (90)] [--seed <n> (42)] [--out <dir> (temp, deleted)] [--write <dir>]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int agents = 10, days = 90, seed = 42;
        string? folder = null, write = null;
        for (var i = 1; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--agents" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out agents) && agents is >= 1 and <= 1000:
                case "--days" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out days) && days is >= 1 and <= 3650:
                case "--seed" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seed):
                    i++;
                    break;
                case "--out" when value is not null:
                    folder = Path.GetFullPath(value);
                    i++;
                    break;
                case "--write" when value is not null:
                    write = Path.GetFullPath(value);
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"Unexpected '{args[i]}'. Usage: {Usage}");
                    return 2;
            }
        }

        var scratch = folder is null;
        folder ??= BenchFolders.Create("growth");
        try
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Growth: {agents} agent(s) x {days} day(s) from {GrowthRun.Start:yyyy-MM-dd}, seed {seed}, in {folder}"));
            var result = await GrowthRun.RunAsync(agents, days, seed, folder, output, CancellationToken.None);
            output.WriteLine();
            output.WriteLine(GrowthReport.Markdown(result, Milestone));
            output.WriteLine("Every day:");
            output.WriteLine(GrowthReport.Markdown(result));
            output.WriteLine("Final folders (the sample's own report):");
            output.WriteLine(GrowthReport.FinalTable(result));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulated in {result.Elapsed.TotalSeconds:0} s."));
            if (write is not null)
            {
                Directory.CreateDirectory(write);
                File.WriteAllText(Path.Combine(write, "BENCHMARKS.growth.csv"), GrowthReport.Csv(result));
                File.WriteAllText(Path.Combine(write, "BENCHMARKS.growth.svg"), GrowthReport.Svg(result));
                output.WriteLine($"Wrote BENCHMARKS.growth.csv (every day) and BENCHMARKS.growth.svg to {write}");
            }

            return 0;
        }
        finally
        {
            if (scratch)
            {
                BenchFolders.Delete(folder);
            }
        }
    }

    /// <summary>The days of the short table: the first week, then every 15th day, and the last.</summary>
    public static bool Milestone(int day) => day <= 7 || day % 15 == 0;
}
