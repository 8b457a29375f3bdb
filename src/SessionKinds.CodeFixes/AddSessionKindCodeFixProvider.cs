using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using SessionKinds.Generators.Diagnostics;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.CodeFixes;

/// <summary>
/// SKND0001: adds a session kind attribute, one action per kind (the cron action writes a placeholder
/// schedule that parses). When the task or a containing type is not partial, the same action makes them
/// partial too, so that one click gives a task the generator can complete.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddSessionKindCodeFixProvider)), Shared]
public sealed class AddSessionKindCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action that adds the attribute of <paramref name="kindName"/>.</summary>
    public static string EquivalenceKey(string kindName) => DiagnosticIds.MissingSessionKind + ":" + kindName;

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingSessionKind);

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

        // With a kind it becomes a task: whatever the inspection would then find not partial (SKND0004) is made partial too.
        var notPartial = TaskInspector.NonPartialTypes(target.Type, context.CancellationToken).Any();

        foreach (var kind in SessionKindTable.All)
        {
            if (CodeFixHelpers.Resolve(target.Model.Compilation, kind.MetadataName) is null)
            {
                continue;
            }

            var title = notPartial ? $"Add {kind.Example} and make '{target.Type.Name}' partial" : $"Add {kind.Example}";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => AddKindAsync(context.Document, context.Span, kind, ct), EquivalenceKey(kind.KindName)),
                context.Diagnostics);
        }
    }

    private static async Task<Solution> AddKindAsync(Document document, TextSpan span, SessionKindInfo kind, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        if (await CodeFixHelpers.FindTypeAsync(document, span, cancellationToken).ConfigureAwait(false) is not { } target
            || CodeFixHelpers.Resolve(target.Model.Compilation, kind.MetadataName) is not { } attributeClass)
        {
            return solution;
        }

        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var endOfLine = TriviaHelpers.EndOfLine(root!);
        var name = TypeNameSyntax.ForAttribute(target.Model, target.Declaration.SpanStart, attributeClass, kind.ShortName);
        var attribute = SyntaxFactory.Attribute(name);
        if (kind == SessionKindTable.Cron)
        {
            attribute = attribute.WithArgumentList(SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(
                    SyntaxKind.StringLiteralExpression,
                    SyntaxFactory.Literal(SessionKindTable.PlaceholderCronSchedule))))));
        }

        var edits = new SolutionEdits();
        edits.Add(target.Declaration, (_, current) => DeclarationEditing.AddAttribute(current, attribute, endOfLine));
        edits.AddPartial(TaskInspector.NonPartialTypes(target.Type, cancellationToken).Select(t => t.Type), cancellationToken);
        return await edits.ApplyAsync(solution, cancellationToken).ConfigureAwait(false);
    }
}
