using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SessionKinds.Generators.Generation;

namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>
/// Runs one generator driver twice, the second time on an edited compilation, and reads what every tracked
/// step and every source output did on the second run.
/// </summary>
internal sealed class IncrementalRun
{
    private IncrementalRun(GeneratorRunResult first, GeneratorRunResult second)
    {
        First = first;
        Second = second;
    }

    /// <summary>Every <see cref="TrackingNames"/> constant: the names the pipeline must report.</summary>
    public static IReadOnlyList<string> AllTrackingNames { get; } =
        [.. typeof(TrackingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(static field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(static field => (string)field.GetRawConstantValue()!)];

    public GeneratorRunResult First { get; }

    public GeneratorRunResult Second { get; }

    /// <summary>Runs the generator on <paramref name="compilation"/>, then on <c>edit(compilation)</c> with the same driver.</summary>
    public static IncrementalRun Of(Compilation compilation, Func<Compilation, Compilation> edit)
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        driver = driver.RunGenerators(edit(compilation));
        var second = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Null(second.Exception);
        return new IncrementalRun(first, second);
    }

    /// <summary>Replaces the source file <paramref name="path"/> (e.g. <c>Source1.cs</c>) with <paramref name="text"/>.</summary>
    public static Func<Compilation, Compilation> Replace(string path, string text) => compilation =>
        compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(tree => tree.FilePath == path),
            CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path));

    /// <summary>Adds a source file.</summary>
    public static Func<Compilation, Compilation> Add(string path, string text) => compilation =>
        compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path));

    /// <summary>Every output of every step of the second run with one of the generator's tracking names, as (step name, reason, value).</summary>
    public IEnumerable<(string Step, IncrementalStepRunReason Reason, object Value)> TrackedOutputs() =>
        from name in AllTrackingNames
        where Second.TrackedSteps.ContainsKey(name)
        from step in Second.TrackedSteps[name]
        from output in step.Outputs
        select (name, output.Reason, output.Value);

    /// <summary>The reasons of the outputs of the tracked step <paramref name="name"/> on the second run.</summary>
    public IReadOnlyList<IncrementalStepRunReason> Reasons(string name) =>
        [.. Second.TrackedSteps[name].SelectMany(static step => step.Outputs).Select(static output => output.Reason)];

    /// <summary>
    /// What each source output did on the second run, by the hint name of the file it writes (read from the
    /// spec the output step consumed: a task's <see cref="Generators.Generation.Model.SessionTaskSpec.HintName"/>, or the registry's).
    /// </summary>
    public IReadOnlyDictionary<string, IncrementalStepRunReason> Files()
    {
        var files = new Dictionary<string, IncrementalStepRunReason>(StringComparer.Ordinal);
        foreach (var step in Second.TrackedOutputSteps.SelectMany(static pair => pair.Value))
        {
            var (source, index) = step.Inputs.Single();
            var hintName = source.Outputs[index].Value switch
            {
                Generators.Generation.Model.SessionTaskSpec spec => spec.HintName,
                Generators.Generation.Model.RegistrySpec { Tasks.Count: > 0 } => SessionTaskEmitter.RegistryHintName,
                Generators.Generation.Model.RegistrySpec => null,
                (bool hosting, bool _) => hosting ? SessionTaskEmitter.HostingHintName : null,
                var other => throw new InvalidOperationException($"Unexpected source output input: {other}"),
            };
            if (hintName is not null)
            {
                files.Add(hintName, step.Outputs.Single().Reason);
            }
        }

        return files;
    }

    /// <summary>The generated text of both runs, by hint name.</summary>
    public (IReadOnlyDictionary<string, string> First, IReadOnlyDictionary<string, string> Second) Texts() =>
        (Text(First), Text(Second));

    private static Dictionary<string, string> Text(GeneratorRunResult result) =>
        result.GeneratedSources.ToDictionary(static s => s.HintName, static s => s.SourceText.ToString(), StringComparer.Ordinal);
}
