using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SessionKinds.Benchmarks.CompileTime;
using SessionKinds.Benchmarks.Growth;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks;

/// <summary>
/// The CI smoke run: every benchmark case (every method, every parameter value) runs once, in this process, with
/// BenchmarkDotNet's <see cref="Job.Dry"/> job, so setups, operations and clean-ups are all exercised; then the growth
/// simulation (E) plays one agent for two days, the interleaved measurements (<see cref="Paired"/>) and the analyzer
/// report run one round each, the real-build report its warm-up round and the incremental-step report once, the engine
/// reports (G) and the tool figures (F) at their smallest. Sizes are
/// reduced (<see cref="BenchRun.Quick"/>); well under two minutes in all. It checks that everything starts and
/// finishes, never how fast it is.
/// </summary>
public static class Smoke
{
    /// <summary>Runs the smoke; returns the problems found (empty when every case ran).</summary>
    public static IReadOnlyList<string> Run(TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var artifacts = BenchFolders.Create("smoke-artifacts");
        var previousQuick = BenchRun.Quick;
        BenchRun.Quick = true;
        try
        {
            var config = ManualConfig.CreateEmpty()
                .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"))
                .AddLogger(new TextWriterLogger(log))
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .WithArtifactsPath(artifacts)
                // Test runs may build Debug; timings are not the point here.
                .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile);

            var problems = new List<string>();
            foreach (var type in Program.BenchmarkTypes)
            {
                var summary = BenchmarkRunner.Run(type, config);
                problems.AddRange(Check(type, summary));
            }

            problems.AddRange(CheckGrowth(log));
            problems.AddRange(CheckPaired(log));
            problems.AddRange(CheckEngines(log));
            problems.AddRange(CheckToolFigures(log));
            return problems;
        }
        finally
        {
            BenchRun.Quick = previousQuick;
            BenchFolders.Delete(artifacts);
        }
    }

    /// <summary>The interleaved measurements of A, B, C and D and the reports: one round each.</summary>
    private static List<string> CheckPaired(TextWriter log)
    {
        try
        {
            log.WriteLine(Paired.Run(scale: 0));
            log.WriteLine(AnalyzerCostReport.Run(rounds: 1));
            log.WriteLine(RealBuildReport.Run(rounds: 0)); // the warm-up round only: three real builds of the small project
            IncrementalStepsReport.Write(log);
            return [];
        }
        catch (Exception ex)
        {
            return [$"Interleaved measurements and reports: {ex}"];
        }
    }

    /// <summary>The engine reports at their smallest: 100 sessions and one round, two writers, one agent for one day.</summary>
    private static List<string> CheckEngines(TextWriter log)
    {
        try
        {
            log.WriteLine(Engines.EngineLatencyReport.RunAsync([100], rounds: 1).GetAwaiter().GetResult());
            log.WriteLine(Engines.EngineWritersReport.RunAsync(writers: 2, turns: 2, repetitions: 1).GetAwaiter().GetResult());
            log.WriteLine(Engines.EngineBytesReport.RunAsync(agents: 1, days: 1, seed: 42, log).GetAwaiter().GetResult());
            return [];
        }
        catch (Exception ex)
        {
            return [$"Engine reports: {ex}"];
        }
    }

    /// <summary>F: the tool figures at their smallest, 200 entries and one round (each operation in its own child process).</summary>
    private static List<string> CheckToolFigures(TextWriter log)
    {
        try
        {
            var exitCode = Tool.ToolFigures.RunAsync(["--tool-figures", "200", "1"], log).GetAwaiter().GetResult();
            return exitCode == 0 ? [] : [$"Tool figures: exit code {exitCode}"];
        }
        catch (Exception ex)
        {
            return [$"Tool figures: {ex}"];
        }
    }

    /// <summary>E: one agent, two simulated days, and every report format.</summary>
    private static List<string> CheckGrowth(TextWriter log)
    {
        var folder = BenchFolders.Create("smoke-growth");
        try
        {
            var result = GrowthRun.RunAsync(agents: 1, days: 2, seed: 42, folder, log, CancellationToken.None).GetAwaiter().GetResult();
            log.WriteLine(GrowthReport.Markdown(result));
            _ = GrowthReport.Csv(result) + GrowthReport.Svg(result) + GrowthReport.FinalTable(result);
            var last = result.Rows[^1];
            return result.Rows.Count == 2 && last.SessionKinds.Total > 0 && last.Naive.Total > last.SessionKinds.Total
                ? []
                : [$"Growth: unexpected result after 2 days: SessionKinds {last.SessionKinds.Total} B, naive {last.Naive.Total} B."];
        }
        catch (Exception ex)
        {
            return [$"Growth: {ex}"];
        }
        finally
        {
            BenchFolders.Delete(folder);
        }
    }

    private static IEnumerable<string> Check(Type type, Summary summary)
    {
        if (summary.HasCriticalValidationErrors)
        {
            foreach (var error in summary.ValidationErrors)
            {
                yield return $"{type.Name}: {error.Message}";
            }
        }

        if (summary.BenchmarksCases.Length == 0)
        {
            yield return $"{type.Name}: no benchmark case ran.";
        }

        foreach (var benchmarkCase in summary.BenchmarksCases)
        {
            var report = summary[benchmarkCase];
            if (report is null || !report.Success || report.ResultStatistics is null)
            {
                yield return $"{type.Name}: {benchmarkCase.DisplayInfo} did not complete.";
            }
        }
    }
}
