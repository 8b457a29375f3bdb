using System.Globalization;
using System.Text;
using SessionKinds.Benchmarks.Growth;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.Engines;

/// <summary>
/// Bytes on disk after the growth workload (<see cref="GrowthRun"/>: the sample's agents over simulated days, every reply
/// persisted by SessionKinds and by the naive path into agent folders). Each engine then holds the same data: the
/// SessionKinds folders are imported (<see cref="AgentFolderImport"/>) or copied into it, every agent under its own id
/// (one database for all of them, for a database engine); the naive folders likewise, to show what the storage engine
/// alone does without the routing.
/// </summary>
internal static class EngineBytesReport
{
    public static async Task<string> RunAsync(int agents, int days, int seed, TextWriter progress)
    {
        var folder = BenchFolders.Create("engines-growth");
        var work = new List<string>();
        try
        {
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Growth workload: {agents} agent(s) x {days} day(s), seed {seed}"));
            var result = await GrowthRun.RunAsync(agents, days, seed, folder, progress, CancellationToken.None);
            var last = result.Rows[^1];
            var table = new StringBuilder();
            table.AppendLine(CultureInfo.InvariantCulture, $"Bytes on disk after {agents} agent(s) x {days} day(s) of the growth workload (seed {seed}):");
            table.AppendLine();
            table.AppendLine("| data | engine | bytes | MiB | / file engine, same data |");
            table.AppendLine("|---|---|---:|---:|---:|");
            foreach (var (data, sub, fileBytes) in new[] { ("SessionKinds routing", "sessionkinds", last.SessionKinds.Total), ("naive (every session kept)", "naive", last.Naive.Total) })
            {
                foreach (var engine in BenchEngines.All.Where(e => !e.IsVariant))
                {
                    long bytes;
                    if (engine is FileBenchEngine)
                    {
                        bytes = fileBytes;
                    }
                    else
                    {
                        var target = BenchFolders.Create($"engines-growth-{engine.Name}-{sub}");
                        work.Add(target);
                        foreach (var agentFolder in Directory.GetDirectories(Path.Combine(folder, sub)).Order(StringComparer.Ordinal))
                        {
                            await engine.SeedAsync(target, Path.GetFileName(agentFolder), agentFolder);
                        }

                        bytes = engine.BytesOnDisk(target);
                    }

                    table.AppendLine(CultureInfo.InvariantCulture, $"| {data} | {engine.Name} | {bytes:N0} | {bytes / 1048576.0:0.00} | {(double)bytes / fileBytes:0.00} |");
                }
            }

            table.AppendLine();
            foreach (var engine in BenchEngines.All.Where(e => !e.IsVariant))
            {
                table.AppendLine(CultureInfo.InvariantCulture, $"- {engine.Name}: {engine.BytesNote}");
            }

            return table.ToString();
        }
        finally
        {
            BenchFolders.Delete(folder);
            foreach (var target in work)
            {
                BenchFolders.Delete(target);
            }
        }
    }
}
