using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks;

/// <summary>
/// The CI smoke run: every benchmark case (every method, every parameter value) runs once, in this process, with
/// BenchmarkDotNet's <see cref="Job.Dry"/> job, so setups, operations and clean-ups are all exercised in well under two
/// minutes. It checks that the benchmarks start and finish, never how fast they are.
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

            return problems;
        }
        finally
        {
            BenchRun.Quick = previousQuick;
            BenchFolders.Delete(artifacts);
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
