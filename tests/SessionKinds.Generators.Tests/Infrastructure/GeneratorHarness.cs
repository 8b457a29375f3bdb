using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SessionKinds.Generators.Generation;

namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>Runs <see cref="SessionTaskGenerator"/> on in-memory sources with hermetic references and step tracking.</summary>
internal static class GeneratorHarness
{
    /// <summary>The newest language version, with documentation comments checked (CS1591 and friends are reported).</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>A library compilation with nullable enabled, every warning level on and warnings reported as errors.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(TestReferences.Net100WithRuntime, sources);

    public static CSharpCompilation CreateCompilation(IEnumerable<MetadataReference> references, params string[] sources) =>
        CSharpCompilation.Create(
            "SessionKinds.GeneratorTestAssembly",
            sources.Select((source, index) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{index}.cs")),
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                warningLevel: 9999,
                deterministic: true));

    /// <summary>A driver for the generator that records every tracked step.</summary>
    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            [new SessionTaskGenerator().AsSourceGenerator()],
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once; fails the test if the generator threw or reported anything.</summary>
    public static GeneratorOutput Run(params string[] sources) => Run(CreateCompilation(sources));

    public static GeneratorOutput Run(Compilation compilation)
    {
        var parseOptions = (CSharpParseOptions?)compilation.SyntaxTrees.FirstOrDefault()?.Options;
        var driver = CreateDriver(parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(diagnostics);
        Assert.Empty(result.Diagnostics);
        return new GeneratorOutput(output, result);
    }

    /// <summary>
    /// Every warning and error of a compilation (all warnings are errors here), except missing XML comments in
    /// the test's own sources (<c>Source*.cs</c>): generated files must be documented, test snippets need not be.
    /// </summary>
    public static ImmutableArray<Diagnostic> Problems(Compilation compilation) =>
        [.. compilation.GetDiagnostics().Where(static d =>
            d.Severity >= DiagnosticSeverity.Warning
            && !(d.Id == "CS1591" && d.Location.SourceTree?.FilePath.StartsWith("Source", StringComparison.Ordinal) == true))];

    /// <summary>Fails with every problem listed when the compilation has any warning or error.</summary>
    public static void AssertClean(Compilation compilation)
    {
        var problems = Problems(compilation);
        Assert.True(problems.IsEmpty, "The compilation has problems:\n" + string.Join("\n", problems));
    }
}

/// <summary>The result of one generator run.</summary>
internal sealed record GeneratorOutput(Compilation Compilation, GeneratorRunResult Result)
{
    /// <summary>The generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; } =
        Result.GeneratedSources.ToDictionary(static s => s.HintName, static s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>The one generated file with <paramref name="hintName"/>; fails with the list of files otherwise.</summary>
    public string Source(string hintName) =>
        Sources.TryGetValue(hintName, out var source)
            ? source
            : throw new Xunit.Sdk.XunitException($"No generated file '{hintName}'. Generated: {string.Join(", ", Sources.Keys)}");
}
