using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SessionKinds.Benchmarks.CompileTime;
using SessionKinds.Benchmarks.Engines;
using SessionKinds.Benchmarks.Growth;
using SessionKinds.Benchmarks.Runtime;
using SessionKinds.Benchmarks.Tool;

namespace SessionKinds.Benchmarks;

/// <summary>
/// Entry point. <c>dotnet run -c Release --project tests/SessionKinds.Benchmarks -- [mode]</c>:
/// <list type="bullet">
/// <item>no mode, or BenchmarkDotNet arguments (<c>--filter '*Ack*'</c>): the timed benchmarks, every class by default;</item>
/// <item><c>--smoke</c>: every benchmark case once, in process, and every other mode at its smallest (CI, <see cref="Smoke"/>);</item>
/// <item><c>--growth</c>: E, the growth of agent folders over simulated days (<see cref="GrowthCommand.Usage"/>);</item>
/// <item><c>--paired [scale] [sections]</c>: A, B, C and D again, interleaved in one process with bootstrap intervals (see <see cref="Paired"/>);</item>
/// <item><c>--engines</c>: the store engines side by side: ack and chat-turn latency by store size, concurrent writers, bytes after the growth workload (<see cref="EnginesCommand.Usage"/>);</item>
/// <item><c>--incremental-steps</c>: what each incremental edit of B makes the generator redo;</item>
/// <item><c>--analyzer-cost [rounds]</c>: where the analyzers' time goes (per-analyzer driver times, operation trees);</item>
/// <item><c>--real-build [rounds]</c>: A's project built with the real SDK, with and without the SessionKinds analyzers;</item>
/// <item><c>--tool-figures [entries] [rounds]</c>: F, the sessionkinds tool's inspect and compact beside a JsonDocument parse of the same store (<see cref="ToolFigures"/>).</item>
/// </list>
/// </summary>
public static class Program
{
    /// <summary>Every benchmark class, in the order BENCHMARKS.md presents them.</summary>
    public static readonly Type[] BenchmarkTypes =
    [
        typeof(CompileTimeBenchmarks),
        typeof(IncrementalBenchmarks),
        typeof(HeartbeatAckBenchmarks),
        typeof(StoreLoadSaveBenchmarks),
    ];

    public static async Task<int> Main(string[] args)
    {
        if (args is ["--growth", ..])
        {
            return await GrowthCommand.RunAsync(args, Console.Out);
        }

        if (args is ["--engines", ..])
        {
            return await EnginesCommand.RunAsync(args, Console.Out);
        }

        if (args is ["--smoke"])
        {
            var problems = Smoke.Run(Console.Out);
            foreach (var problem in problems)
            {
                Console.Error.WriteLine(problem);
            }

            Console.WriteLine(problems.Count == 0 ? "Smoke run: every benchmark case ran." : $"Smoke run: {problems.Count} problem(s).");
            return problems.Count == 0 ? 0 : 1;
        }

        if (args is ["--paired", ..])
        {
            Console.WriteLine(Paired.Run(
                args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1.0,
                args.Length > 2 ? args[2] : "ABCD"));
            return 0;
        }

        if (args is ["--analyzer-cost", ..])
        {
            Console.WriteLine(AnalyzerCostReport.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10));
            return 0;
        }

        if (args is ["--real-build", ..])
        {
            Console.WriteLine(RealBuildReport.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 6));
            return 0;
        }

        if (args is ["--tool-figures", ..])
        {
            return await ToolFigures.RunAsync(args, Console.Out);
        }

        if (args is ["--incremental-steps"])
        {
            IncrementalStepsReport.Write(Console.Out);
            return 0;
        }

        // Timed runs: a fixed number of iterations, so a run's length is predictable on a shared machine; every
        // ratio is against a baseline of the same run.
        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithId("Timed"));
        IEnumerable<Summary> summaries = args.Length == 0
            ? BenchmarkSwitcher.FromTypes(BenchmarkTypes).RunAll(config)
            : BenchmarkSwitcher.FromTypes(BenchmarkTypes).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
