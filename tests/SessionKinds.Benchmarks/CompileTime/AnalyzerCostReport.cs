using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.CompileTime;

/// <summary>
/// <c>--analyzer-cost [rounds]</c>: where the analyzers' time goes on the 1,000-task project. (1) The analyzer driver's own
/// per-analyzer execution times and action counts (<c>logAnalyzerExecutionTime</c>, after two warm-up runs). (2) Wall
/// time, interleaved: the compilation alone, with an analyzer that registers one empty operation action (the cost of
/// asking for operation trees at all, which most builds already pay for the SDK's own analyzers), with every
/// SessionKinds analyzer, and with both (the SessionKinds analyzers' cost once operation trees exist anyway).
/// </summary>
internal static class AnalyzerCostReport
{
    public static string Run(int rounds)
    {
        var completed = SyntheticProjects.CompletedTasks();
        var analyzers = SyntheticProjects.SessionKindsAnalyzers();
        var text = new StringBuilder();

        var timed = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        CompilationWithAnalyzers run = null!;
        for (var i = 0; i < 3; i++)
        {
            run = completed.Clone().WithAnalyzers(analyzers, timed);
            run.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        }

        text.AppendLine("| analyzer | execution time (ms, one thread) | registered symbol actions | syntax node actions | operation actions | compilation end actions |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var analyzer in analyzers)
        {
            var info = run.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {analyzer.GetType().Name} | {info.ExecutionTime.TotalMilliseconds:0} | {info.SymbolActionsCount} | {info.SyntaxNodeActionsCount} | {info.OperationActionsCount} | {info.CompilationEndActionsCount} |"));
        }

        text.AppendLine();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var alone = new PairedRuns.Operation("Compilation alone", () => completed.Clone().GetDiagnostics());
        var empty = new PairedRuns.Operation("Compilation + an empty OperationKind.Argument action", () =>
            completed.Clone().WithAnalyzers([new EmptyOperationAnalyzer()], options).GetAllDiagnosticsAsync().GetAwaiter().GetResult());
        ImmutableArray<DiagnosticAnalyzer> withEmpty = [new EmptyOperationAnalyzer(), .. analyzers];
        PairedRuns.Operation[] operations =
        [
            alone,
            empty,
            new("Compilation + SessionKinds analyzers", () =>
                completed.Clone().WithAnalyzers(analyzers, options).GetAllDiagnosticsAsync().GetAwaiter().GetResult()),
            new("Compilation + empty action + SessionKinds analyzers", () =>
                completed.Clone().WithAnalyzers(withEmpty, options).GetAllDiagnosticsAsync().GetAwaiter().GetResult()),
        ];
        var runs = PairedRuns.Measure(operations, rounds);
        text.AppendLine("| operation | median wall ms | wall / compilation alone [95% CI] | wall / compilation + empty operation action [95% CI] | median CPU ms | CPU / compilation alone [95% CI] | CPU / compilation + empty operation action [95% CI] |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var operation in operations)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {operation.Name} | {runs.MedianMs(operation):0} | {runs.Ratio(operation, alone)} | {runs.Ratio(operation, empty)} | {runs.MedianCpuMs(operation):0} | {runs.Ratio(operation, alone, cpu: true)} | {runs.Ratio(operation, empty, cpu: true)} |"));
        }

        return text.ToString();
    }

    // A measuring probe handed to CompilationWithAnalyzers in this process, never loaded by a compiler: the rules for
    // shipped analyzers (netstandard2.0 target, extended rules, release tracking) do not apply.
#pragma warning disable RS1036, RS1041, RS2008

    /// <summary>Asks the driver for every argument operation and does nothing with it.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyOperationAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = new(
            "BENCH0001", "Unused", "Unused", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Unused];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(static _ => { }, OperationKind.Argument);
        }
    }
#pragma warning restore RS1036, RS1041, RS2008
}
