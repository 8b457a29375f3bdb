using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SessionKinds.Generators.Tests.Infrastructure;
using Xunit.Abstractions;
using SessionKinds.Testing;

namespace SessionKinds.Generators.Tests.Robustness;

/// <summary>
/// Issue 7, item 6: 2,000 seeded random mutations (token deletions, insertions, swaps, replacements, duplications) of two
/// realistic files of tasks run through the generator, every analyzer over the user's code, and every code fix's
/// registration (and its changes): zero exceptions. Every 4th mutant also runs every analyzer over the generated files.
/// </summary>
/// <remarks>
/// Mutant <c>i</c> is a function of <see cref="Seed"/> and <c>i</c> only, so a failure names a mutant that can be rebuilt
/// alone (<see cref="Mutant"/>), whatever the number of workers.
/// </remarks>
public sealed class MutationRobustnessTests(ITestOutputHelper output)
{
    public const int Mutants = 2_000;
    public const int Seed = 7_007;

    /// <summary>
    /// The analyzers also run over the generated files of every 4th mutant (500 of them): that pass binds the generated code
    /// and costs about as much as the rest together, so all 2,000 would not fit the suite's minute on a 2-core CI machine.
    /// </summary>
    public const int AnalyzeGeneratedEvery = 4;

    private static readonly string[] SamplePaths =
    [
        RepositoryPaths.Get("tests/SessionKinds.Generators.Tests/Analyzers/Robustness/RealisticTasks.cs.txt"),
        RepositoryPaths.Get("tests/SessionKinds.Generators.Tests/Robustness/SupportAgentTasks.cs.txt"),
    ];

    /// <summary>Each sample's tokens with their trivia (concatenated, they give the sample back).</summary>
    private static readonly ConcurrentDictionary<string, string[]> Tokens = new(StringComparer.Ordinal);

    /// <summary>Tokens a half-typed or broken edit tends to add: punctuation, modifiers, the package's own names.</summary>
    private static readonly string[] Insertions =
    [
        "{", "}", "(", ")", "[", "]", ";", ",", ".", "=", "<", ">", "=>", "?", "!", "::", "@", "\"", "'", "$\"", "/*", "#if X", "#endif",
        "partial", "class", "static", "abstract", "sealed", "public", "internal", "record", "struct", "interface", "where", "new()",
        "default", "typeof(", "nameof(", "global::", "SessionKind", "SessionKind.Unspecified", "(SessionKind)42", "IAgentTask", "ISessionTask",
        "[UserSession]", "[HeartbeatSession(RingSize = -1)]", "[CronSession(\"\")]", "[CronSession(null!)]", "[SubagentSession]",
        "RingSize = 10001", "RingFile = \"../x.json\"", "AckMaxChars = int.MinValue", "HeartbeatSession", "CronSession", "<T>", "T",
    ];

    [Fact]
    public async Task Two_thousand_seeded_mutations_run_the_generator_every_analyzer_and_every_fix_without_exceptions()
    {
        var samples = SamplePaths.Select(File.ReadAllText).ToArray();
        var analyzers = SessionKindsComponents.CreateAnalyzers();
        var stopwatch = Stopwatch.StartNew();
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, 4));
        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            using var harness = new AnalyzerHarness(analyzers, SessionKindsComponents.CreateCodeFixProviders(), TestSources.Prelude);
            var generator = new GeneratorPipeline();
            var tally = new Tally();
            for (var i = worker; i < Mutants; i += workers)
            {
                var source = Mutant(samples, i);

                // Analyzers over the user's code, then every fix registered for what they report (and its changes).
                var result = await harness.RunAsync(source, runFixes: true, CancellationToken.None);
                tally.Failures.AddRange(result.Failures.Select(f => $"mutant {i}: {f}"));
                tally.Diagnostics.UnionWith(result.Diagnostics.Select(d => d.Id));
                tally.FixKeys.UnionWith(result.RegisteredFixKeys);

                // The generator, then the analyzers over the code with its output, as a build runs them.
                var generated = await generator.RunAsync(source, i % AnalyzeGeneratedEvery == 0 ? analyzers : []);
                tally.Failures.AddRange(generated.Failures.Select(f => $"mutant {i}: {f}"));
                tally.GeneratedFiles += generated.Files;
                tally.MutantsWithOutput += generated.Files > 0 ? 1 : 0;
                tally.InheritedSyntaxErrors += generated.FilesWithInheritedSyntaxErrors > 0 ? 1 : 0;
            }

            return tally;
        })));

        var failures = results.SelectMany(r => r.Failures).ToList();
        var diagnostics = results.SelectMany(r => r.Diagnostics).ToHashSet(StringComparer.Ordinal);
        var fixKeys = results.SelectMany(r => r.FixKeys).ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"{Mutants} mutants (seed {Seed}) in {stopwatch.Elapsed.TotalSeconds:F1} s on {workers} workers: {failures.Count} exceptions");
        output.WriteLine($"  generator: {results.Sum(r => r.MutantsWithOutput)} mutants produced output ({results.Sum(r => r.GeneratedFiles)} files, analyzed for {Mutants / AnalyzeGeneratedEvery} mutants); " +
            $"{results.Sum(r => r.InheritedSyntaxErrors)} mutants whose own syntax errors (a broken namespace name) were copied into generated files");
        output.WriteLine($"  diagnostics seen: {string.Join(", ", diagnostics.Where(d => d.StartsWith("SKND", StringComparison.Ordinal)).Order(StringComparer.Ordinal))}; fix actions registered: {fixKeys.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));

        // The mutants stayed close enough to real code to exercise every rule, fixes and the generator.
        Assert.All(typeof(SessionKinds.Generators.Diagnostics.DiagnosticIds).GetFields().Select(f => (string)f.GetRawConstantValue()!), id => Assert.Contains(id, diagnostics));
        Assert.True(fixKeys.Count >= 10, $"only {fixKeys.Count} fix actions were registered");
        Assert.True(results.Sum(r => r.MutantsWithOutput) > Mutants / 2, "the generator produced output for too few mutants");
    }

    [Fact]
    public void Mutants_are_a_function_of_the_seed_and_their_index()
    {
        var samples = SamplePaths.Select(File.ReadAllText).ToArray();

        Assert.Equal(Mutant(samples, 17), Mutant(samples, 17));
        Assert.NotEqual(Mutant(samples, 17), Mutant(samples, 18));
        Assert.All(Enumerable.Range(0, 50), i => Assert.NotEqual(samples[i % samples.Length], Mutant(samples, i)));
        Assert.All(samples, sample => Assert.Equal(sample, string.Concat(Tokens[sample])));
    }

    [Fact]
    public async Task The_support_agent_sample_is_clean_code_the_generator_completes()
    {
        var source = File.ReadAllText(SamplePaths[1]);
        var compilation = GeneratorHarness.CreateCompilation(TestSources.Prelude, source);
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var withOutput, out var driverDiagnostics);

        Assert.Empty(driverDiagnostics);
        Assert.Equal(6, driver.GetRunResult().Results.Single().GeneratedSources.Length);
        var errors = withOutput.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS1591").ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        var generated = await new GeneratorPipeline().RunAsync(source, SessionKindsComponents.CreateAnalyzers());
        Assert.Empty(generated.Failures);
    }

    /// <summary>Mutant <paramref name="index"/>: 1 to 3 token edits of one of the samples, from a seed of its own.</summary>
    internal static string Mutant(string[] samples, int index)
    {
        var random = new Random(unchecked((Seed * 1_000_003) + index) & int.MaxValue); // not HashCode: it is randomized per process
        var tokens = Tokens.GetOrAdd(samples[index % samples.Length], static source => CSharpSyntaxTree.ParseText(source).GetRoot()
            .DescendantTokens()
            .Where(t => !t.IsKind(SyntaxKind.EndOfFileToken))
            .Select(t => t.ToFullString())
            .ToArray()).ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && tokens.Count > 1; e++)
        {
            var at = random.Next(tokens.Count);
            switch (random.Next(5))
            {
                case 0: // delete 1..3 tokens
                    tokens.RemoveRange(at, Math.Min(random.Next(1, 4), tokens.Count - at));
                    break;
                case 1: // insert a token a broken edit tends to add
                    tokens.Insert(at, " " + Insertions[random.Next(Insertions.Length)] + " ");
                    break;
                case 2: // swap with a neighbour, or with any token
                    var other = random.Next(2) == 0 ? Math.Min(at + 1, tokens.Count - 1) : random.Next(tokens.Count);
                    (tokens[at], tokens[other]) = (tokens[other], tokens[at]);
                    break;
                case 3: // replace with another token of the file
                    tokens[at] = tokens[random.Next(tokens.Count)];
                    break;
                default: // duplicate a short run
                    var length = Math.Min(random.Next(1, 6), tokens.Count - at);
                    tokens.InsertRange(at, tokens.GetRange(at, length));
                    break;
            }
        }

        return string.Concat(tokens);
    }

    /// <summary>
    /// Runs the generator on each mutant: an exception or a CS8784/CS8785 diagnostic is a failure, and so is generated code that does not
    /// parse when the input itself parses. (When the input's own syntax is broken, e.g. a namespace name with a missing
    /// part, the generator may copy the broken name; the build already fails on the input, so those are only counted.)
    /// Then every analyzer runs over the generated files, as a build runs them.
    /// </summary>
    private sealed class GeneratorPipeline
    {
        // The prelude and the references are bound once; each mutant is one more tree. The driver is kept from run to run,
        // as an IDE keeps it from keystroke to keystroke, so its incremental steps see every change.
        private readonly CSharpCompilation _prelude = GeneratorHarness.CreateCompilation(TestSources.Prelude);
        private GeneratorDriver _driver = GeneratorHarness.CreateDriver();

        public async Task<GeneratorPass> RunAsync(string source, IReadOnlyList<DiagnosticAnalyzer> analyzers)
        {
            var failures = new List<string>();
            var compilation = _prelude.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "Tasks.cs"));
            _driver = _driver.RunGeneratorsAndUpdateCompilation(compilation, out var withOutput, out var driverDiagnostics);
            var result = _driver.GetRunResult().Results.Single();
            if (result.Exception is not null)
            {
                failures.Add($"the generator threw {result.Exception.GetType().Name}: {result.Exception.Message}");
            }

            failures.AddRange(driverDiagnostics.Concat(result.Diagnostics).Select(d => $"generator diagnostic {d}"));
            var inputParses = !compilation.SyntaxTrees.Any(t => t.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error));
            var inheritedSyntaxErrors = 0;
            foreach (var file in result.GeneratedSources)
            {
                var syntaxErrors = file.SyntaxTree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (syntaxErrors.Count > 0 && inputParses)
                {
                    failures.Add($"the generator emitted {file.HintName} with syntax errors from input that parses: {string.Join("; ", syntaxErrors.Take(3))}");
                }

                inheritedSyntaxErrors += syntaxErrors.Count > 0 && !inputParses ? 1 : 0;
            }

            if (analyzers.Count == 0)
            {
                return new GeneratorPass(failures, result.GeneratedSources.Length, inheritedSyntaxErrors);
            }

            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]),
                onAnalyzerException: (exception, analyzer, _) => failures.Add($"{analyzer.GetType().Name} threw {exception.GetType().Name} over generated code: {exception.Message}"),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false);
            var withAnalyzers = withOutput.WithAnalyzers([.. analyzers], options);
            foreach (var tree in withOutput.SyntaxTrees.Except(compilation.SyntaxTrees))
            {
                var diagnostics = (await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(tree, CancellationToken.None))
                    .AddRange(await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(withOutput.GetSemanticModel(tree), null, CancellationToken.None));
                failures.AddRange(diagnostics.Where(d => d.Id is "AD0001").Select(d => d.ToString()));
            }

            return new GeneratorPass(failures, result.GeneratedSources.Length, inheritedSyntaxErrors);
        }
    }

    private sealed record GeneratorPass(List<string> Failures, int Files, int FilesWithInheritedSyntaxErrors);

    private sealed class Tally
    {
        public List<string> Failures { get; } = [];

        public HashSet<string> Diagnostics { get; } = new(StringComparer.Ordinal);

        public HashSet<string> FixKeys { get; } = new(StringComparer.Ordinal);

        public int GeneratedFiles { get; set; }

        public int MutantsWithOutput { get; set; }

        public int InheritedSyntaxErrors { get; set; }    }
}
