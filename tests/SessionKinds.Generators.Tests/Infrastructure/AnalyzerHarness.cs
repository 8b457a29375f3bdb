using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>What running the analyzers and code fixes over one source produced.</summary>
internal sealed record HarnessResult(
    ImmutableArray<Diagnostic> Diagnostics,
    IReadOnlyList<string> Failures,
    IReadOnlySet<string> RegisteredFixKeys);

/// <summary>
/// Runs analyzers through <see cref="CompilationWithAnalyzers"/> (every analyzer exception is caught and
/// recorded, as are AD0001 diagnostics), then every code fix provider's <c>RegisterCodeFixesAsync</c> on
/// each diagnostic it can fix, and computes each registered action's changes. Reuses one workspace.
/// </summary>
internal sealed class AnalyzerHarness : IDisposable
{
    private readonly AdhocWorkspace _workspace = new();
    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private readonly IReadOnlyList<CodeFixProvider> _fixers;
    private readonly DocumentId _documentId;

    public AnalyzerHarness(IEnumerable<DiagnosticAnalyzer> analyzers, IEnumerable<CodeFixProvider> fixers, string prelude, string? editorConfig = null)
    {
        _analyzers = [.. analyzers];
        _fixers = [.. fixers];
        var projectId = ProjectId.CreateNewId();
        var solution = _workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                "Robustness",
                "Robustness",
                LanguageNames.CSharp,
                filePath: "/repo/Robustness.csproj",
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: TestReferences.Net100WithRuntime))
            .AddDocument(DocumentId.CreateNewId(projectId), "Prelude.cs", SourceText.From(prelude), filePath: "/repo/Prelude.cs");
        _documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(_documentId, "Tasks.cs", SourceText.From(string.Empty), filePath: "/repo/Tasks.cs");
        if (editorConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From(editorConfig), filePath: "/repo/.editorconfig");
        }

        if (!_workspace.TryApplyChanges(solution))
        {
            throw new InvalidOperationException("Could not create the robustness workspace.");
        }
    }

    public async Task<HarnessResult> RunAsync(string source, bool runFixes, CancellationToken cancellationToken)
    {
        var failures = new ConcurrentQueue<string>();
        var document = _workspace.CurrentSolution.WithDocumentText(_documentId, SourceText.From(source)).GetDocument(_documentId)!;
        var compilation = (await document.Project.GetCompilationAsync(cancellationToken))!;

        var options = new CompilationWithAnalyzersOptions(
            document.Project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, _) => failures.Enqueue($"{analyzer.GetType().Name} threw {exception.GetType().Name}: {exception.Message}"),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(_analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken);
        foreach (var diagnostic in diagnostics.Where(d => d.Id is "AD0001" or "CS8785"))
        {
            failures.Enqueue(diagnostic.ToString());
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (runFixes)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            foreach (var diagnostic in diagnostics.Where(d => d.Location.SourceTree == tree))
            {
                foreach (var fixer in _fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    await RunFixerAsync(fixer, document, diagnostic, failures, keys, cancellationToken);
                }
            }
        }

        return new HarnessResult(diagnostics, [.. failures], keys);
    }

    private static async Task RunFixerAsync(CodeFixProvider fixer, Document document, Diagnostic diagnostic, ConcurrentQueue<string> failures, HashSet<string> keys, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        try
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
            await fixer.RegisterCodeFixesAsync(context);
            foreach (var action in actions)
            {
                keys.Add(action.EquivalenceKey ?? "(no key)");
                _ = await action.GetOperationsAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failures.Enqueue($"{fixer.GetType().Name} threw {exception.GetType().Name} on {diagnostic}: {exception.Message}");
        }
    }

    public void Dispose() => _workspace.Dispose();
}
