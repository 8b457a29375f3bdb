using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SessionKinds.CodeFixes;

/// <summary>
/// Edits to type declarations that may live in several documents (partial classes): each edit receives
/// the original declaration and its current rewrite, so nested and repeated edits compose. Documents
/// that got a name needing a <c>using</c> are then given the import, simplified and formatted.
/// </summary>
internal sealed class SolutionEdits
{
    private readonly Dictionary<SyntaxNode, List<Func<SyntaxNode, SyntaxNode, SyntaxNode>>> _edits = new();

    public bool IsEmpty => _edits.Count == 0;

    public void Add<TNode>(TNode node, Func<TNode, TNode, SyntaxNode> edit)
        where TNode : SyntaxNode
    {
        if (!_edits.TryGetValue(node, out var list))
        {
            list = new List<Func<SyntaxNode, SyntaxNode, SyntaxNode>>();
            _edits.Add(node, list);
        }

        list.Add((original, current) => current is TNode typed ? edit((TNode)original, typed) : current);
    }

    /// <summary>Adds <c>partial</c> to every declaration of every given type that lacks it.</summary>
    public void AddPartial(IEnumerable<INamedTypeSymbol> types, CancellationToken cancellationToken)
    {
        foreach (var type in types)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                    && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    Add(declaration, (_, current) => DeclarationEditing.AddPartial(current));
                }
            }
        }
    }

    public async Task<Solution> ApplyAsync(Solution solution, CancellationToken cancellationToken)
    {
        var changed = new List<DocumentId>();
        foreach (var group in _edits.GroupBy(e => e.Key.SyntaxTree))
        {
            var document = solution.GetDocument(group.Key);
            if (document is null)
            {
                continue;
            }

            var root = await group.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            var edits = group.ToDictionary(e => e.Key, e => e.Value);
            var newRoot = root.ReplaceNodes(edits.Keys, (original, current) =>
            {
                var result = current;
                foreach (var edit in edits[original])
                {
                    result = edit(original, result);
                }

                return result;
            });

            solution = solution.WithDocumentSyntaxRoot(document.Id, newRoot);
            changed.Add(document.Id);
        }

        foreach (var id in changed)
        {
            var document = solution.GetDocument(id)!;
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                continue;
            }

            if (root.GetAnnotatedNodes(Simplifier.AddImportsAnnotation).Any())
            {
                document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (root.GetAnnotatedNodes(Simplifier.Annotation).Any())
            {
                document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var updatedRoot = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (updatedRoot is not null && updatedRoot.GetAnnotatedNodesAndTokens(Formatter.Annotation).Any())
            {
                document = await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            solution = document.Project.Solution;
        }

        return solution;
    }
}
