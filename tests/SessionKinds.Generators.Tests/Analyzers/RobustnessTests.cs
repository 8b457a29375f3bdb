using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SessionKinds.Generators.Diagnostics;
using SessionKinds.Generators.Tests.Infrastructure;
using Xunit.Abstractions;
using SessionKinds.Testing;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>
/// Analyzers and code fixes never throw on half-typed code: every analyzer runs over every token-prefix of
/// a realistic file of tasks (Robustness/RealisticTasks.cs.txt), and every code fix runs on every diagnostic found.
/// </summary>
public sealed class RobustnessTests(ITestOutputHelper output)
{
    private static readonly string SamplePath = RepositoryPaths.Get("tests/SessionKinds.Generators.Tests/Analyzers/Robustness/RealisticTasks.cs.txt");

    [Fact]
    public async Task Every_token_prefix_of_a_realistic_file_runs_every_analyzer_and_fix_without_exceptions()
    {
        var source = await File.ReadAllTextAsync(SamplePath);
        var prefixEnds = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens()
            .Select(t => t.Span.End)
            .Where(end => end > 0)
            .Distinct()
            .ToList();
        Assert.True(prefixEnds.Count > 700, $"The sample has {prefixEnds.Count} tokens; it should stay realistic (about 150 lines).");

        var stopwatch = Stopwatch.StartNew();
        var failures = new List<string>();
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var fixKeys = new HashSet<string>(StringComparer.Ordinal);
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, 4));
        var chunks = prefixEnds.Select((end, index) => (end, index)).GroupBy(x => x.index % workers).Select(g => g.Select(x => x.end).ToList()).ToList();
        var results = await Task.WhenAll(chunks.Select(chunk => Task.Run(async () =>
        {
            using var harness = new AnalyzerHarness(SessionKindsComponents.CreateAnalyzers(), SessionKindsComponents.CreateCodeFixProviders(), TestSources.Prelude);
            var chunkFailures = new List<string>();
            var chunkIds = new HashSet<string>(StringComparer.Ordinal);
            var chunkKeys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var end in chunk)
            {
                var result = await harness.RunAsync(source[..end], runFixes: true, CancellationToken.None);
                chunkFailures.AddRange(result.Failures.Select(f => $"prefix of {end} characters: {f}"));
                chunkIds.UnionWith(result.Diagnostics.Select(d => d.Id));
                chunkKeys.UnionWith(result.RegisteredFixKeys);
            }

            return (chunkFailures, chunkIds, chunkKeys);
        })));

        foreach (var (chunkFailures, chunkIds, chunkKeys) in results)
        {
            failures.AddRange(chunkFailures);
            seenIds.UnionWith(chunkIds);
            fixKeys.UnionWith(chunkKeys);
        }

        output.WriteLine($"{prefixEnds.Count} prefixes in {stopwatch.Elapsed.TotalSeconds:F1} s; diagnostics seen: {string.Join(", ", seenIds.Order())}; fix actions: {fixKeys.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));

        // The run is only meaningful if the prefixes reached every rule and every fix.
        var allIds = typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.All(allIds, id => Assert.Contains(id, seenIds));
        Assert.Contains("SKND0001:User", fixKeys);
        Assert.Contains("SKND0002:Subagent", fixKeys);
        Assert.Contains("SKND0003:KeepUser", fixKeys);
        Assert.Contains("SKND0004:AddPartial", fixKeys);
        Assert.Contains("SKND0007:Remove", fixKeys);
        Assert.Contains("SKND0007:Implement", fixKeys);
        Assert.Contains("SKND0010:Remove", fixKeys);
    }

    [Fact]
    public async Task The_full_sample_reports_every_rule_where_expected()
    {
        var source = await File.ReadAllTextAsync(SamplePath);
        using var harness = new AnalyzerHarness(SessionKindsComponents.CreateAnalyzers(), [], TestSources.Prelude);
        var result = await harness.RunAsync(source, runFixes: false, CancellationToken.None);
        Assert.Empty(result.Failures);
        var found = result.Diagnostics
            .Where(d => d.Id.StartsWith("SKND", StringComparison.Ordinal))
            .Select(d => $"{d.Id} {source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)} (line {d.Location.GetLineSpan().StartLinePosition.Line + 1})")
            .Order(StringComparer.Ordinal)
            .ToList();
        output.WriteLine(string.Join(Environment.NewLine, found));
        Assert.Equal(
            [
                "SKND0001 Derived (line 119)",
                "SKND0001 Forgotten (line 74)",
                "SKND0002 (SessionKind)42 (line 138)",
                "SKND0002 Derived (line 149)",
                "SKND0002 Forgotten (line 142)",
                "SKND0002 NoKind (line 140)",
                "SKND0002 Unspecified (line 139)",
                "SKND0002 default (line 137)",
                "SKND0002 new Forgotten() (line 143)",
                "SKND0003 Confused (line 80)",
                "SKND0004 Research (line 95)",
                "SKND0004 Workers (line 91)",
                "SKND0005 \"61 * * * *\" (line 54)",
                "SKND0006 RingSize = 0 (line 35)",
                "SKND0007 NotATask (line 86)",
                "SKND0008 CalendarCheck (line 36)",
                "SKND0008 DefaultRingA (line 109)",
                "SKND0008 RingFile = HeartbeatSessionAttribute.DefaultRingFile (line 114)",
                "SKND0009 Generic (line 102)",
                "SKND0010 ScheduledBase (line 125)",
                "SKND0011 ScratchTask (line 159)",
                "SKND0012 Every = \"30 minutes\" (line 167)",
                "SKND0013 ActiveHours = \"8:00-22:00\" (line 167)",
                "SKND0014 TimeZone = \"europe/berlin\" (line 167)",
                "SKND0015 \"0 0 31 2 *\" (line 173)",
                "SKND0016 TwoDoors (line 180)",
            ],
            found);
    }

    [Fact]
    public async Task The_harness_catches_an_analyzer_that_throws()
    {
        using var harness = new AnalyzerHarness([new ThrowingAnalyzer()], [], TestSources.Prelude);
        var result = await harness.RunAsync("class C { }", runFixes: false, CancellationToken.None);
        Assert.Contains(result.Failures, f => f.Contains("ThrowingAnalyzer threw InvalidOperationException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_harness_catches_a_code_fix_that_throws()
    {
        using var harness = new AnalyzerHarness(SessionKindsComponents.CreateAnalyzers(), [new ThrowingCodeFixProvider()], TestSources.Prelude);
        var result = await harness.RunAsync("using SessionKinds; [UserSession] class C { }", runFixes: true, CancellationToken.None);
        Assert.Contains(result.Failures, f => f.Contains("ThrowingCodeFixProvider threw", StringComparison.Ordinal));
    }

    /// <summary>A test double handed straight to CompilationWithAnalyzers, never loaded by a compiler.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001:Missing diagnostic analyzer attribute", Justification = "A test double that no compiler loads; the attribute would make the test assembly an analyzer assembly.")]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [DiagnosticDescriptors.KindOnNonTask];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSymbolAction(_ => throw new InvalidOperationException("boom"), SymbolKind.NamedType);
        }
    }

    private sealed class ThrowingCodeFixProvider : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticIds.KindOnNonTask];

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            context.RegisterCodeFix(CodeAction.Create("boom", new Func<CancellationToken, Task<Document>>(_ => throw new InvalidOperationException("boom")), "boom"), context.Diagnostics);
            return Task.CompletedTask;
        }
    }
}
