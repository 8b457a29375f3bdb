using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using SessionKinds.Generators.Analyzers;
using SessionKinds.Generators.Diagnostics;

namespace SessionKinds.CodeFixes;

/// <summary>
/// SKND0004: adds <c>partial</c> to every declaration (in every file) of the type, of its containing types,
/// and of the session tasks nested in it, so the fix is the same whichever of their diagnostics it starts from.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTaskPartialCodeFixProvider)), Shared]
public sealed class MakeTaskPartialCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = DiagnosticIds.TaskNotPartial + ":AddPartial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.TaskNotPartial);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var found = await CodeFixHelpers.FindTypeAsync(context.Document, context.Span, context.CancellationToken).ConfigureAwait(false);
        if (found is not { } target)
        {
            return;
        }

        var title = target.Type.ContainingType is null && target.Type.GetTypeMembers().IsEmpty
            ? $"Make '{target.Type.Name}' partial"
            : $"Make '{target.Type.Name}' and the types around it partial";
        context.RegisterCodeFix(CodeAction.Create(title, ct => MakePartialAsync(context.Document, context.Span, ct), EquivalenceKey), context.Diagnostics);
    }

    private static async Task<Solution> MakePartialAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        if (await CodeFixHelpers.FindTypeAsync(document, span, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return solution;
        }

        var symbols = SessionKindsSymbols.Create(target.Model.Compilation);
        var types = new HashSet<INamedTypeSymbol>(CodeFixHelpers.SelfAndContainingTypes(target.Type), SymbolEqualityComparer.Default);
        AddNestedTasks(symbols, target.Type, types);

        var edits = new SolutionEdits();
        edits.AddPartial(types, cancellationToken);
        return await edits.ApplyAsync(solution, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the session tasks nested in <paramref name="container"/> and the types between them.</summary>
    private static bool AddNestedTasks(SessionKindsSymbols symbols, INamedTypeSymbol container, HashSet<INamedTypeSymbol> types)
    {
        var any = false;
        foreach (var nested in container.GetTypeMembers())
        {
            if (nested.TypeParameters.Length > 0)
            {
                continue;
            }

            var found = SessionTaskDeclarationAnalyzer.IsSessionTask(symbols, nested);
            found |= AddNestedTasks(symbols, nested, types);
            if (found)
            {
                types.Add(nested);
                any = true;
            }
        }

        return any;
    }
}
