using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.CompileTime;

/// <summary>
/// A. Compile-time cost on a synthetic project of 1,000 task classes (250 per kind) in 200 files, against the LoggerMessage
/// generator on 1,000 <c>[LoggerMessage]</c> methods in 200 files (the baseline), and against compiling the project
/// alone. Every operation starts from a fresh <see cref="Compilation.Clone"/>, so no semantic cache carries over from
/// the previous one (syntax trees are shared: parsing is not measured, for any row).
/// <list type="bullet">
/// <item><b>LoggerMessage</b> (baseline) and <b>SessionKinds generator</b>: a new driver, one cold run.</item>
/// <item><b>SessionKinds analyzers</b>: every SessionKinds analyzer through <see cref="CompilationWithAnalyzers"/> on the
/// completed project (its generated code included, as in a build).</item>
/// <item><b>Compilation</b>: <c>GetDiagnostics()</c> of the completed project: parse diagnostics, declarations, every
/// method body bound, no emit.</item>
/// <item><b>Compilation + analyzers</b>: both at once (<c>GetAllDiagnosticsAsync</c>), what a build with the analyzers does.</item>
/// </list>
/// Target: the SessionKinds generator at or below LoggerMessage.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[BenchmarkCategory("A: cold, 1,000 members")]
public class CompileTimeBenchmarks
{
    private Compilation _tasks = null!;
    private Compilation _completedTasks = null!;
    private Compilation _logging = null!;
    private ISourceGenerator _sessionKinds = null!;
    private ISourceGenerator _loggerMessage = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private CompilationWithAnalyzersOptions _analyzerOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tasks = SyntheticProjects.Tasks();
        _logging = SyntheticProjects.Logging();
        _sessionKinds = SyntheticProjects.SessionKindsGenerator();
        _loggerMessage = SyntheticProjects.LoggerMessageGenerator();
        _analyzers = SyntheticProjects.SessionKindsAnalyzers();
        _analyzerOptions = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);

        // Both projects are checked to generate and compile cleanly when first built; the task project must also be
        // clean for the analyzers (every analyzer runs, none reports).
        _completedTasks = SyntheticProjects.CompletedTasks();
        var findings = _completedTasks.Clone().WithAnalyzers(_analyzers, _analyzerOptions).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (!findings.IsEmpty || _analyzers.Length == 0)
        {
            throw new InvalidOperationException($"{_analyzers.Length} analyzers reported on the synthetic project:\n" + string.Join("\n", findings.Take(20)));
        }
    }

    [Benchmark(Baseline = true, Description = "LoggerMessage generator (cold)")]
    public GeneratorDriver LoggerMessage() => SyntheticProjects.Driver(_loggerMessage).RunGenerators(_logging.Clone());

    [Benchmark(Description = "SessionKinds generator (cold)")]
    public GeneratorDriver SessionKindsGenerator() => SyntheticProjects.Driver(_sessionKinds).RunGenerators(_tasks.Clone());

    [Benchmark(Description = "SessionKinds analyzers")]
    public ImmutableArray<Diagnostic> SessionKindsAnalyzers() =>
        _completedTasks.Clone().WithAnalyzers(_analyzers, _analyzerOptions).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "Compilation alone")]
    public ImmutableArray<Diagnostic> Compilation() => _completedTasks.Clone().GetDiagnostics();

    [Benchmark(Description = "Compilation + SessionKinds analyzers")]
    public ImmutableArray<Diagnostic> CompilationWithAnalyzers() =>
        _completedTasks.Clone().WithAnalyzers(_analyzers, _analyzerOptions).GetAllDiagnosticsAsync().GetAwaiter().GetResult();

    /// <summary>The same operations measured interleaved in one process (<see cref="PairedRuns"/>); returns a Markdown table.</summary>
    internal static string MeasurePaired(int rounds)
    {
        var b = new CompileTimeBenchmarks();
        b.Setup();
        var loggerMessage = new PairedRuns.Operation("LoggerMessage generator (cold)", () => b.LoggerMessage());
        var compilation = new PairedRuns.Operation("Compilation alone", () => b.Compilation());
        PairedRuns.Operation[] operations =
        [
            loggerMessage,
            new("SessionKinds generator (cold)", () => b.SessionKindsGenerator()),
            new("SessionKinds analyzers", () => b.SessionKindsAnalyzers()),
            compilation,
            new("Compilation + SessionKinds analyzers", () => b.CompilationWithAnalyzers()),
        ];
        var runs = PairedRuns.Measure(operations, rounds);
        var table = new System.Text.StringBuilder();
        table.AppendLine("| operation | median wall ms | wall / LoggerMessage [95% CI] | wall / compilation [95% CI] | median CPU ms | CPU / LoggerMessage [95% CI] | CPU / compilation [95% CI] |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var operation in operations)
        {
            table.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"| {operation.Name} | {runs.MedianMs(operation):0.0} | {runs.Ratio(operation, loggerMessage)} | {runs.Ratio(operation, compilation)} | {runs.MedianCpuMs(operation):0.0} | {runs.Ratio(operation, loggerMessage, cpu: true)} | {runs.Ratio(operation, compilation, cpu: true)} |"));
        }

        return table.ToString();
    }

    private sealed class Config : BenchConfig
    {
        public Config()
        {
            AddColumn(
                new RatioToMethodColumn(nameof(Compilation), "vs compilation", allocations: false),
                new RatioToMethodColumn(nameof(Compilation), "Alloc vs compilation", allocations: true));
        }
    }
}
