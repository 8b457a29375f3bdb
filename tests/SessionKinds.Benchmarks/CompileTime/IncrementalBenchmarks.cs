using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.CompileTime;

/// <summary>
/// B. Incremental edits: the SessionKinds generator's driver is run once on the 1,000-task project in the setup and kept;
/// each operation applies one edit to the project (<see cref="Compilation.ReplaceSyntaxTree"/>, a fresh compilation
/// every time, as the IDE makes one per keystroke) and runs the kept driver on it. Baseline: a cold run on the same
/// project. The edited trees are parsed in the setup. Which outputs each edit regenerates is printed by
/// <c>--incremental-steps</c> (BENCHMARKS.md).
/// <para>For context, the same is measured for the LoggerMessage generator on the 1,000-method project (its own cold
/// run is that category's baseline): every <c>ForAttributeWithMetadataName</c> pipeline reruns its transform for every
/// attributed node when the compilation changes, and only skips what comes after when the results are equal.</para>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class IncrementalBenchmarks
{
    private const string Ours = "B: SessionKinds, 1,000 tasks";
    private const string Theirs = "B: LoggerMessage, 1,000 methods";

    private Compilation _tasks = null!;
    private ISourceGenerator _generator = null!;
    private GeneratorDriver _kept = null!;
    private SyntaxTree _taskFile = null!;
    private SyntaxTree _taskFileBodyEdited = null!;
    private SyntaxTree _taskFileRingSizeEdited = null!;
    private SyntaxTree _unrelatedFile = null!;
    private SyntaxTree _unrelatedFileEdited = null!;
    private Compilation _logging = null!;
    private ISourceGenerator _loggerMessage = null!;
    private GeneratorDriver _keptLoggerMessage = null!;
    private SyntaxTree _logFile = null!;
    private SyntaxTree _logFileBodyEdited = null!;
    private SyntaxTree _loggingUnrelated = null!;
    private SyntaxTree _loggingUnrelatedEdited = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tasks = SyntheticProjects.Tasks();
        _generator = SyntheticProjects.SessionKindsGenerator();
        _kept = SyntheticProjects.Driver(_generator).RunGenerators(_tasks);
        var edits = Edits(_tasks).ToDictionary(e => e.Name);
        (_taskFile, _taskFileBodyEdited) = (edits[IncrementalEdits.MethodBody].Before, edits[IncrementalEdits.MethodBody].After);
        _taskFileRingSizeEdited = edits[IncrementalEdits.RingSize].After;
        (_unrelatedFile, _unrelatedFileEdited) = (edits[IncrementalEdits.Unrelated].Before, edits[IncrementalEdits.Unrelated].After);

        _logging = SyntheticProjects.Logging();
        _loggerMessage = SyntheticProjects.LoggerMessageGenerator();
        _keptLoggerMessage = SyntheticProjects.Driver(_loggerMessage).RunGenerators(_logging);
        _logFile = _logging.SyntaxTrees.Single(t => t.FilePath == SyntheticSources.LogFilePath(0));
        _logFileBodyEdited = SyntheticProjects.Parse(SyntheticSources.LogFile(0, callMarker: 2), _logFile.FilePath);
        _loggingUnrelated = _logging.SyntaxTrees.Single(t => t.FilePath == SyntheticSources.UnrelatedPath);
        _loggingUnrelatedEdited = SyntheticProjects.Parse(SyntheticSources.UnrelatedFile("v2"), _loggingUnrelated.FilePath);
    }

    [Benchmark(Baseline = true, Description = "Cold run (new driver)")]
    [BenchmarkCategory(Ours)]
    public GeneratorDriver ColdRun() => SyntheticProjects.Driver(_generator).RunGenerators(_tasks.Clone());

    [Benchmark(Description = "Edit: method body in a task class")]
    [BenchmarkCategory(Ours)]
    public GeneratorDriver MethodBodyEdit() => _kept.RunGenerators(_tasks.ReplaceSyntaxTree(_taskFile, _taskFileBodyEdited));

    [Benchmark(Description = "Edit: unrelated file")]
    [BenchmarkCategory(Ours)]
    public GeneratorDriver UnrelatedFileEdit() => _kept.RunGenerators(_tasks.ReplaceSyntaxTree(_unrelatedFile, _unrelatedFileEdited));

    [Benchmark(Description = "Edit: one task's RingSize")]
    [BenchmarkCategory(Ours)]
    public GeneratorDriver RingSizeEdit() => _kept.RunGenerators(_tasks.ReplaceSyntaxTree(_taskFile, _taskFileRingSizeEdited));

    [Benchmark(Baseline = true, Description = "LoggerMessage: cold run (new driver)")]
    [BenchmarkCategory(Theirs)]
    public GeneratorDriver LoggerMessageColdRun() => SyntheticProjects.Driver(_loggerMessage).RunGenerators(_logging.Clone());

    [Benchmark(Description = "LoggerMessage: edit a method body in a log class")]
    [BenchmarkCategory(Theirs)]
    public GeneratorDriver LoggerMessageMethodBodyEdit() => _keptLoggerMessage.RunGenerators(_logging.ReplaceSyntaxTree(_logFile, _logFileBodyEdited));

    [Benchmark(Description = "LoggerMessage: edit an unrelated file")]
    [BenchmarkCategory(Theirs)]
    public GeneratorDriver LoggerMessageUnrelatedFileEdit() => _keptLoggerMessage.RunGenerators(_logging.ReplaceSyntaxTree(_loggingUnrelated, _loggingUnrelatedEdited));

    /// <summary>The same operations measured interleaved in one process (<see cref="PairedRuns"/>); returns a Markdown table.</summary>
    internal static string MeasurePaired(int rounds)
    {
        var b = new IncrementalBenchmarks();
        b.Setup();
        var cold = new PairedRuns.Operation("SessionKinds: cold run", () => b.ColdRun());
        var loggerMessageCold = new PairedRuns.Operation("LoggerMessage: cold run", () => b.LoggerMessageColdRun());
        (PairedRuns.Operation Operation, PairedRuns.Operation Cold)[] rows =
        [
            (cold, cold),
            (new("SessionKinds: edit a method body in a task class", () => b.MethodBodyEdit()), cold),
            (new("SessionKinds: edit an unrelated file", () => b.UnrelatedFileEdit()), cold),
            (new("SessionKinds: edit one task's RingSize", () => b.RingSizeEdit()), cold),
            (loggerMessageCold, loggerMessageCold),
            (new("LoggerMessage: edit a method body in a log class", () => b.LoggerMessageMethodBodyEdit()), loggerMessageCold),
            (new("LoggerMessage: edit an unrelated file", () => b.LoggerMessageUnrelatedFileEdit()), loggerMessageCold),
        ];
        var runs = PairedRuns.Measure([.. rows.Select(r => r.Operation)], rounds);
        var table = new System.Text.StringBuilder();
        table.AppendLine("| operation | median wall ms | wall / its cold run [95% CI] | median CPU ms | CPU / its cold run [95% CI] |");
        table.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (operation, baseline) in rows)
        {
            table.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"| {operation.Name} | {runs.MedianMs(operation):0.0} | {runs.Ratio(operation, baseline)} | {runs.MedianCpuMs(operation):0.0} | {runs.Ratio(operation, baseline, cpu: true)} |"));
        }

        return table.ToString();
    }

    /// <summary>The three edits, each as (tree in <paramref name="tasks"/>, edited tree).</summary>
    internal static IEnumerable<(string Name, SyntaxTree Before, SyntaxTree After)> Edits(Compilation tasks)
    {
        var taskFile = tasks.SyntaxTrees.Single(t => t.FilePath == SyntheticSources.TaskFilePath(0));
        var unrelated = tasks.SyntaxTrees.Single(t => t.FilePath == SyntheticSources.UnrelatedPath);
        yield return (IncrementalEdits.MethodBody, taskFile, SyntheticProjects.Parse(SyntheticSources.TaskFile(0, bodyMarker: "v2"), taskFile.FilePath));
        yield return (IncrementalEdits.Unrelated, unrelated, SyntheticProjects.Parse(SyntheticSources.UnrelatedFile("v2"), unrelated.FilePath));
        yield return (IncrementalEdits.RingSize, taskFile, SyntheticProjects.Parse(SyntheticSources.TaskFile(0, ringSizeOfFirstHeartbeat: SyntheticSources.RingSize + 14), taskFile.FilePath));
    }
}

/// <summary>The names of the incremental edits.</summary>
internal static class IncrementalEdits
{
    public const string MethodBody = "method body in a task class";
    public const string Unrelated = "unrelated file";
    public const string RingSize = "one task's RingSize";
}
