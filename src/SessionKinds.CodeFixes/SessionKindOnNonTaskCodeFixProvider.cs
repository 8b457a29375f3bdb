using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using SessionKinds.Generators;
using SessionKinds.Generators.Diagnostics;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.CodeFixes;

/// <summary>
/// SKND0007: removes the session kind attribute from a type that is not an agent task, or makes the type
/// one: adds <c>IAgentTask</c> to its base list, a stub for each member it does not have yet, and
/// <c>partial</c> where the generator needs it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SessionKindOnNonTaskCodeFixProvider)), Shared]
public sealed class SessionKindOnNonTaskCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action that removes the attribute.</summary>
    public const string RemoveEquivalenceKey = DiagnosticIds.KindOnNonTask + ":Remove";

    /// <summary>The equivalence key of the action that implements <c>IAgentTask</c>.</summary>
    public const string ImplementEquivalenceKey = DiagnosticIds.KindOnNonTask + ":Implement";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.KindOnNonTask);

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

        foreach (var diagnostic in context.Diagnostics)
        {
            var removeTitle = CodeFixHelpers.RemoveKindsTitle(diagnostic);
            context.RegisterCodeFix(
                CodeAction.Create(removeTitle, ct => RemoveAsync(context.Document, context.Span, ct), RemoveEquivalenceKey),
                diagnostic);

            if (CanImplement(target.Declaration, target.Type, target.Model.Compilation))
            {
                var notPartial = TaskInspector.NonPartialTypes(target.Type, context.CancellationToken).Any();
                var implementTitle = notPartial ? $"Implement IAgentTask and make '{target.Type.Name}' partial" : "Implement IAgentTask";
                context.RegisterCodeFix(
                    CodeAction.Create(implementTitle, ct => ImplementAsync(context.Document, context.Span, ct), ImplementEquivalenceKey),
                    diagnostic);
            }
        }
    }

    // Not on an abstract class: as an IAgentTask its attribute would still have no effect (SKND0010).
    private static bool CanImplement(TypeDeclarationSyntax declaration, INamedTypeSymbol type, Compilation compilation) =>
        TaskInspector.IsConcreteClass(type)
        && declaration is ClassDeclarationSyntax or RecordDeclarationSyntax
        && !declaration.OpenBraceToken.IsMissing
        && declaration.OpenBraceToken.IsKind(SyntaxKind.OpenBraceToken)
        && CodeFixHelpers.Resolve(compilation, TypeNames.AgentTask) is not null;

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

    private static async Task<Solution> ImplementAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        if (await CodeFixHelpers.FindTypeAsync(document, span, cancellationToken).ConfigureAwait(false) is not { } target
            || CodeFixHelpers.Resolve(target.Model.Compilation, TypeNames.AgentTask) is not { } agentTask)
        {
            return solution;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        var baseType = SyntaxFactory.SimpleBaseType(TypeNameSyntax.ForType(target.Model, target.Declaration.SpanStart, agentTask));
        var members = CreateMissingMembers(generator, target.Type, agentTask, target.Model.Compilation);

        var edits = new SolutionEdits();
        edits.Add(target.Declaration, (_, current) =>
        {
            var updated = AddBaseType(current, baseType);
            return members.Count == 0 ? updated : generator.AddMembers(updated, members);
        });

        // Now a task with a kind: the generator needs it and its containers partial (SKND0004).
        edits.AddPartial(TaskInspector.NonPartialTypes(target.Type, cancellationToken).Select(t => t.Type), cancellationToken);
        return await edits.ApplyAsync(solution, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends a base type, moving the line break that ended the header after it.</summary>
    private static TypeDeclarationSyntax AddBaseType(TypeDeclarationSyntax declaration, BaseTypeSyntax baseType)
    {
        if (declaration.BaseList is { } baseList)
        {
            var last = baseList.Types[baseList.Types.Count - 1];
            var trailing = last.GetTrailingTrivia();
            var types = baseList.Types.Replace(last, last.WithTrailingTrivia(SyntaxFactory.TriviaList()))
                .Add(baseType.WithTrailingTrivia(trailing));
            var separators = types.GetSeparators().ToList();
            var fixedTypes = SyntaxFactory.SeparatedList(
                types,
                separators.Select((s, i) => i == separators.Count - 1 ? SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space) : s));
            return declaration.WithBaseList(baseList.WithTypes(fixedTypes));
        }

        // The base list goes after the identifier, type parameters or record parameters: move their trailing trivia past it.
        SyntaxToken before = declaration.ParameterList?.CloseParenToken
            ?? declaration.TypeParameterList?.GreaterThanToken
            ?? declaration.Identifier;
        var moved = before.TrailingTrivia;
        var newList = SyntaxFactory.BaseList(
                SyntaxFactory.Token(SyntaxKind.ColonToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.SingletonSeparatedList(baseType))
            .WithTrailingTrivia(moved.Count == 0 ? SyntaxFactory.TriviaList(SyntaxFactory.Space) : moved);
        return declaration
            .ReplaceToken(before, before.WithTrailingTrivia(SyntaxFactory.TriviaList()))
            .WithBaseList(newList);
    }

    /// <summary>A <c>throw new NotImplementedException()</c> stub for each instance member of IAgentTask the class does not declare.</summary>
    private static List<SyntaxNode> CreateMissingMembers(SyntaxGenerator generator, INamedTypeSymbol type, INamedTypeSymbol agentTask, Compilation compilation)
    {
        var members = new List<SyntaxNode>();
        var notImplemented = CodeFixHelpers.Resolve(compilation, "System.NotImplementedException");
        SyntaxNode ThrowStatement() => generator.ThrowStatement(generator.ObjectCreationExpression(notImplemented is null
            ? SyntaxFactory.ParseTypeName("global::System.NotImplementedException").WithAdditionalAnnotations(Simplifier.Annotation)
            : TypeNameSyntax.ForTypeSymbol(notImplemented)));

        foreach (var member in agentTask.GetMembers())
        {
            if (member.IsStatic || !member.IsAbstract || HasMember(type, member))
            {
                continue;
            }

            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                    members.Add(generator.MethodDeclaration(
                        method.Name,
                        method.Parameters.Select(p => generator.ParameterDeclaration(p.Name, TypeNameSyntax.ForTypeSymbol(p.Type), refKind: p.RefKind)),
                        method.TypeParameters.Select(t => t.Name),
                        method.ReturnsVoid ? null : TypeNameSyntax.ForTypeSymbol(method.ReturnType),
                        Accessibility.Public,
                        DeclarationModifiers.None,
                        new[] { ThrowStatement() }).WithAdditionalAnnotations(Formatter.Annotation));
                    break;
                case IPropertySymbol { IsIndexer: false } property:
                    members.Add(generator.PropertyDeclaration(
                        property.Name,
                        TypeNameSyntax.ForTypeSymbol(property.Type),
                        Accessibility.Public,
                        property.SetMethod is null ? DeclarationModifiers.ReadOnly : DeclarationModifiers.None,
                        new[] { ThrowStatement() },
                        property.SetMethod is null ? null : new[] { ThrowStatement() }).WithAdditionalAnnotations(Formatter.Annotation));
                    break;
            }
        }

        return members;
    }

    private static bool HasMember(INamedTypeSymbol type, ISymbol interfaceMember)
    {
        foreach (var candidate in type.GetMembers(interfaceMember.Name))
        {
            if (candidate is IMethodSymbol method && interfaceMember is IMethodSymbol wanted
                && method.Parameters.Length == wanted.Parameters.Length
                && method.Parameters.Zip(wanted.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(x => x))
            {
                return true;
            }

            if (candidate is IPropertySymbol && interfaceMember is IPropertySymbol)
            {
                return true;
            }
        }

        return false;
    }
}
