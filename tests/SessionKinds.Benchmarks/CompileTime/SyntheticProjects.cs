using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.Logging;
using SessionKinds.Generators.Generation;

namespace SessionKinds.Benchmarks.CompileTime;

/// <summary>
/// Builds the synthetic compilations (parsed once; parsing is not what is measured), the generators and the analyzers, with
/// hermetic .NET 10 reference assemblies.
/// </summary>
internal static class SyntheticProjects
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // CS1701/CS1702 (a reference built against an older framework) are off, as the .NET SDK turns them off by default: a
    // BenchmarkDotNet child process may load the runtime's net8.0 build (the tool it also references targets net8.0).
    private static readonly CSharpCompilationOptions Options = new CSharpCompilationOptions(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        deterministic: true)
        .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);

    // Built and checked once per process (a benchmark process, or the smoke run's, whose BenchRun.Quick is set before
    // the first use and makes them small); operations work on clones.
    private static readonly Lazy<CSharpCompilation> TasksOnce = new(CreateTasks);
    private static readonly Lazy<CSharpCompilation> LoggingOnce = new(CreateLogging);
    private static readonly Lazy<Compilation> CompletedTasksOnce = new(() =>
        RunChecked(SessionKindsGenerator(), TasksOnce.Value.Clone(), SyntheticSources.Members + 1));

    /// <summary>The task project as the generator sees it: 200 task files and the unrelated file, no generated code.</summary>
    public static CSharpCompilation Tasks() => TasksOnce.Value;

    /// <summary>The task project with the generator's output added, checked to compile without a warning.</summary>
    public static Compilation CompletedTasks() => CompletedTasksOnce.Value;

    /// <summary>The logging project as the LoggerMessage generator sees it, checked once to generate and compile cleanly.</summary>
    public static CSharpCompilation Logging() => LoggingOnce.Value;

    private static CSharpCompilation CreateTasks() => CSharpCompilation.Create(
        "Synthetic.Tasks",
        [
            .. Enumerable.Range(0, SyntheticSources.FileCount).Select(f => Parse(SyntheticSources.TaskFile(f), SyntheticSources.TaskFilePath(f))),
            Parse(SyntheticSources.UnrelatedFile(), SyntheticSources.UnrelatedPath),
        ],
        [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(SessionStore).Assembly.Location)],
        Options);

    private static CSharpCompilation CreateLogging()
    {
        var logging = CSharpCompilation.Create(
            "Synthetic.Logging",
            [
                .. Enumerable.Range(0, SyntheticSources.FileCount).Select(f => Parse(SyntheticSources.LogFile(f), SyntheticSources.LogFilePath(f))),
                Parse(SyntheticSources.UnrelatedFile(), SyntheticSources.UnrelatedPath),
            ],
            [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(ILogger).Assembly.Location)],
            Options);
        RunChecked(LoggerMessageGenerator(), logging.Clone(), expectedFiles: 1);
        return logging;
    }

    public static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>The SessionKinds generator, as the compiler hosts an incremental generator.</summary>
    public static ISourceGenerator SessionKindsGenerator() => new SessionTaskGenerator().AsSourceGenerator();

    /// <summary>Every SessionKinds diagnostic analyzer: each non-abstract <see cref="DiagnosticAnalyzer"/> with <see cref="DiagnosticAnalyzerAttribute"/> in the generator assembly.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> SessionKindsAnalyzers() =>
    [
        .. typeof(SessionTaskGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];

    /// <summary>The LoggerMessage generator of Microsoft.Extensions.Logging.Abstractions 10.0.0 (roslyn4.4 build), loaded the way the compiler loads analyzers.</summary>
    public static ISourceGenerator LoggerMessageGenerator()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "baseline-generators", "Microsoft.Extensions.Logging.Generators.dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The LoggerMessage generator is not beside the benchmarks at {path}; rebuild tests/SessionKinds.Benchmarks.", path);
        }

        var generators = new AnalyzerFileReference(path, AnalyzerLoader.Instance).GetGenerators(LanguageNames.CSharp);
        return generators.Length == 1
            ? generators[0]
            : throw new InvalidOperationException($"Expected one generator in {path}, found {generators.Length}.");
    }

    /// <summary>A driver with the compiler's defaults (no step tracking), for the project's parse options.</summary>
    public static GeneratorDriver Driver(ISourceGenerator generator) =>
        CSharpGeneratorDriver.Create([generator], parseOptions: ParseOptions);

    /// <summary>Fails when a generator threw or reported a diagnostic, or when the completed compilation has an error or a warning.</summary>
    public static Compilation RunChecked(ISourceGenerator generator, Compilation compilation, int expectedFiles)
    {
        var driver = Driver(generator).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException($"{result.Generator.GetGeneratorType().Name} threw.", result.Exception);
        }

        var problems = diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{result.Generator.GetGeneratorType().Name} output does not compile cleanly:\n" + string.Join("\n", problems.Take(20)));
        }

        if (result.GeneratedSources.Length < expectedFiles)
        {
            throw new InvalidOperationException($"{result.Generator.GetGeneratorType().Name} generated {result.GeneratedSources.Length} files; expected at least {expectedFiles}.");
        }

        return output;
    }

    private sealed class AnalyzerLoader : IAnalyzerAssemblyLoader
    {
        public static readonly AnalyzerLoader Instance = new();

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
