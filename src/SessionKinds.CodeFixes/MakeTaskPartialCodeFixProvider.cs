using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using SessionKinds.Generators.Diagnostics;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.CodeFixes;

/// <summary>
/// SKND0004: adds <c>partial</c> to every declaration (in every file) of each type the inspection finds not partial:
/// the task, its containing types, and the session tasks nested in it (with the types between), so the fix is the
/// same whichever of their diagnostics it starts from.
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

        var title = TypesToMakePartial(target.Type, context.CancellationToken).Count > 1
            ? $"Make '{target.Type.Name}' and the types around it partial"
            : $"Make '{target.Type.Name}' partial";
        context.RegisterCodeFix(CodeAction.Create(title, ct => MakePartialAsync(context.Document, context.Span, ct), EquivalenceKey), context.Diagnostics);
    }

    private static async Task<Solution> MakePartialAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        if (await CodeFixHelpers.FindTypeAsync(document, span, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return solution;
        }

        var edits = new SolutionEdits();
        edits.AddPartial(TypesToMakePartial(target.Type, cancellationToken), cancellationToken);
        return await edits.ApplyAsync(solution, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every type the inspection reports as not partial (SKND0004), for <paramref name="type"/> as a task and for the
    /// tasks nested in it: whichever of their diagnostics the fix starts from, it makes the same types partial.
    /// </summary>
    private static HashSet<INamedTypeSymbol> TypesToMakePartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var types = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        Add(TaskInspector.Inspect(type, cancellationToken));
        if (!TaskInspector.IsInGenericContext(type, out _))
        {
            foreach (var nested in TaskInspector.NestedKindedClasses(type, cancellationToken))
            {
                Add(TaskInspector.Inspect(nested, cancellationToken));
            }
        }

        return types;

        void Add(TaskInspection inspection)
        {
            foreach (var problem in inspection.Problems)
            {
                if (problem.Id == DiagnosticIds.TaskNotPartial)
                {
                    types.Add(problem.Owner);
                }
            }
        }
    }
}
