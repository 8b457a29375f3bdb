using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SessionKinds.Benchmarks.CompileTime;

/// <summary>
/// What each incremental edit of <see cref="IncrementalBenchmarks"/> makes the generator redo, from the driver's step
/// tracking (not timed): per tracked step, how many outputs were New, Modified, Unchanged, Cached or Removed, and how
/// many generated files changed.
/// </summary>
internal static class IncrementalStepsReport
{
    public static void Write(TextWriter output)
    {
        var tasks = SyntheticProjects.Tasks();
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [SyntheticProjects.SessionKindsGenerator()],
            parseOptions: SyntheticProjects.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(tasks);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

        output.WriteLine("| edit | step | New | Modified | Unchanged | Cached | Removed |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (name, beforeTree, afterTree) in IncrementalBenchmarks.Edits(tasks))
        {
            var result = driver.RunGenerators(tasks.ReplaceSyntaxTree(beforeTree, afterTree)).GetRunResult().Results.Single();
            foreach (var step in result.TrackedSteps.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (!Interesting(step.Key))
                {
                    continue;
                }

                var reasons = step.Value.SelectMany(run => run.Outputs).GroupBy(o => o.Reason).ToDictionary(g => g.Key, g => g.Count());
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {step.Key} | {Count(reasons, IncrementalStepRunReason.New)} | {Count(reasons, IncrementalStepRunReason.Modified)} | {Count(reasons, IncrementalStepRunReason.Unchanged)} | {Count(reasons, IncrementalStepRunReason.Cached)} | {Count(reasons, IncrementalStepRunReason.Removed)} |"));
            }

            var changed = result.GeneratedSources.Count(s => !before.TryGetValue(s.HintName, out var text) || text != s.SourceText.ToString());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | generated files changed | | {changed} | | | |"));
        }
    }

    // The per-kind attribute steps and the registry; the other steps follow from them.
    private static bool Interesting(string step) =>
        step.EndsWith("Attributes", StringComparison.Ordinal) || step == "Registry";

    private static int Count(Dictionary<IncrementalStepRunReason, int> reasons, IncrementalStepRunReason reason) =>
        reasons.TryGetValue(reason, out var count) ? count : 0;
}
