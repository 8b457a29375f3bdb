using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using SessionKinds.Generators.Analyzers;
using SessionKinds.Generators.Diagnostics;

namespace SessionKinds.CodeFixes;

/// <summary>
/// SKND0012, SKND0013, SKND0014: replaces a schedule value whose meaning is obvious with the form the rules accept —
/// <c>"30 min"</c> → <c>"30m"</c>, <c>"8:00-22:00"</c> → <c>"08:00-22:00"</c>, <c>"europe/berlin"</c> → <c>"Europe/Berlin"</c>.
/// The analyzer decides the suggestion (from the shared rules) and passes it in the diagnostic's properties; there is no
/// fix when the meaning is not obvious or the value is not a string literal.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSuggestedScheduleValueCodeFixProvider)), Shared]
public sealed class UseSuggestedScheduleValueCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action (one per diagnostic ID: <c>SKND0013:UseSuggestion</c>).</summary>
    public const string EquivalenceKeySuffix = ":UseSuggestion";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.InvalidHeartbeatInterval, DiagnosticIds.InvalidActiveHours, DiagnosticIds.UnknownTimeZone);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(DiagnosticProperties.Suggestion, out var suggestion) && suggestion is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Use \"" + suggestion + "\"",
                        ct => ReplaceAsync(context.Document, diagnostic.Location.SourceSpan, suggestion, ct),
                        diagnostic.Id + EquivalenceKeySuffix),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> ReplaceAsync(Document document, TextSpan span, string suggestion, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindNode(span, getInnermostNodeForTie: true) is not { } node)
        {
            return document;
        }

        var argument = node as AttributeArgumentSyntax ?? node.FirstAncestorOrSelf<AttributeArgumentSyntax>();
        if (argument?.Expression is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return document;
        }

        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(suggestion))
            .WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));
    }
}
