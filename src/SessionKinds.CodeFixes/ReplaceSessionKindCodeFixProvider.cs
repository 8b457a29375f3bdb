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
using SessionKinds.Generators;
using SessionKinds.Generators.Analyzers;
using SessionKinds.Generators.Diagnostics;

namespace SessionKinds.CodeFixes;

/// <summary>SKND0002 on a <c>SessionKind</c> value: replaces it with a defined kind, one action per kind.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceSessionKindCodeFixProvider)), Shared]
public sealed class ReplaceSessionKindCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action that writes <c>SessionKind.&lt;kindName&gt;</c>.</summary>
    public static string EquivalenceKey(string kindName) => DiagnosticIds.SessionWithoutKind + ":" + kindName;

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.SessionWithoutKind);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.Subject, out var subject) || subject != DiagnosticProperties.KindValue)
            {
                continue;
            }

            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (model is null || CodeFixHelpers.Resolve(model.Compilation, TypeNames.SessionKind) is not { TypeKind: TypeKind.Enum } sessionKind)
            {
                continue;
            }

            foreach (var member in sessionKind.GetMembers())
            {
                if (member is IFieldSymbol { HasConstantValue: true } field
                    && ConstantValues.TryGetInteger(field.ConstantValue, out var value)
                    && value != 0)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Use {sessionKind.Name}.{field.Name}",
                            ct => ReplaceAsync(context.Document, diagnostic.Location.SourceSpan, field.Name, ct),
                            EquivalenceKey(field.Name)),
                        diagnostic);
                }
            }
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, TextSpan span, string memberName, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindNode(span, getInnermostNodeForTie: true) is not ExpressionSyntax expression
            || model is null
            || CodeFixHelpers.Resolve(model.Compilation, TypeNames.SessionKind) is not { } sessionKind)
        {
            return document;
        }

        // The diagnostic spans the whole argument expression; FindNode may land on a child of the same span.
        while (expression.Parent is ExpressionSyntax parent && parent.Span == span)
        {
            expression = parent;
        }

        var replacement = TriviaHelpers.WithoutElasticTrivia(SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                TypeNameSyntax.ForType(model, expression.SpanStart, sessionKind),
                SyntaxFactory.IdentifierName(memberName)))
            .WithTriviaFrom(expression);

        var edits = new SolutionEdits();
        edits.Add(expression, (_, _) => replacement);
        var solution = await edits.ApplyAsync(document.Project.Solution, cancellationToken).ConfigureAwait(false);
        return solution.GetDocument(document.Id) ?? document;
    }
}
