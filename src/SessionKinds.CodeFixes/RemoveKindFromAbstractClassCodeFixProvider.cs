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
/// SKND0010: removes the session kind attribute(s) from an abstract class (from every part of it), where they have
/// no effect. The concrete tasks deriving from it keep or get their own (SKND0001 asks for them).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveKindFromAbstractClassCodeFixProvider)), Shared]
public sealed class RemoveKindFromAbstractClassCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = DiagnosticIds.KindOnAbstractClass + ":Remove";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.KindOnAbstractClass);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var title = CodeFixHelpers.RemoveKindsTitle(diagnostic);
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => RemoveAsync(context.Document, diagnostic.Location.SourceSpan, ct), EquivalenceKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Solution> RemoveAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        if (await CodeFixHelpers.FindTypeAsync(document, span, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return solution;
        }

        var edits = new SolutionEdits();
        KindAttributeRemoval.Queue(edits, target.Type, _ => true, cancellationToken);
        return await edits.ApplyAsync(solution, cancellationToken).ConfigureAwait(false);
    }
}
