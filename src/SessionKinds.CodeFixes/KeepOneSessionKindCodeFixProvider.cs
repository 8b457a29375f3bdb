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

/// <summary>SKND0003: keeps one session kind attribute and removes the others (from every part of the class), one action per kind.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeepOneSessionKindCodeFixProvider)), Shared]
public sealed class KeepOneSessionKindCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action that keeps the attribute of <paramref name="kindName"/>.</summary>
    public static string EquivalenceKey(string kindName) => DiagnosticIds.MultipleSessionKinds + ":Keep" + kindName;

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MultipleSessionKinds);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var kindName in CodeFixHelpers.KindsProperty(diagnostic).Split(','))
            {
                if (SessionKindTable.FromKindName(kindName) is not { } kind)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create($"Keep {kind.Bracketed}", ct => KeepAsync(context.Document, diagnostic.Location.SourceSpan, kind, ct), EquivalenceKey(kind.KindName)),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Solution> KeepAsync(Document document, TextSpan span, SessionKindInfo keep, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        if (await CodeFixHelpers.FindTypeAsync(document, span, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return solution;
        }

        var edits = new SolutionEdits();
        KindAttributeRemoval.Queue(edits, target.Type, kind => kind != keep, cancellationToken);
        return await edits.ApplyAsync(solution, cancellationToken).ConfigureAwait(false);
    }
}
