using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SessionKinds.CodeFixes;

/// <summary>Adds and removes attributes and modifiers on type declarations without losing trivia.</summary>
internal static class DeclarationEditing
{
    /// <summary>Adds <c>partial</c> right before the type keyword (where C# requires it); no-op when present.</summary>
    public static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return declaration;
        }

        var partial = TriviaHelpers.Token(SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(), SyntaxFactory.TriviaList(SyntaxFactory.Space));
        if (declaration.Modifiers.Count == 0)
        {
            // With no modifiers the type keyword carries the indentation (and, without attributes, the comments): move them to 'partial'.
            var keyword = declaration.Keyword;
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
        }

        return declaration.WithModifiers(declaration.Modifiers.Add(partial));
    }

    /// <summary>Adds an attribute list after the declaration's existing lists, on its own line when they are on their own lines.</summary>
    public static TypeDeclarationSyntax AddAttribute(TypeDeclarationSyntax declaration, AttributeSyntax attribute, SyntaxTrivia endOfLine)
    {
        var list = TriviaHelpers.WithoutElasticTrivia(SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute)));
        if (declaration.AttributeLists.Count > 0)
        {
            var last = declaration.AttributeLists[declaration.AttributeLists.Count - 1];
            if (TriviaHelpers.HasEndOfLine(last.GetTrailingTrivia()))
            {
                // The first token after the lists starts its line: indent the new list like it.
                var next = last.GetLastToken().GetNextToken();
                list = list
                    .WithLeadingTrivia(TriviaHelpers.Indentation(next.LeadingTrivia))
                    .WithTrailingTrivia(endOfLine);
            }
            else
            {
                list = list.WithTrailingTrivia(SyntaxFactory.Space);
            }

            return declaration.WithAttributeLists(declaration.AttributeLists.Add(list));
        }

        // The first token carries the doc comment and indentation: the new list takes them, the token keeps the indentation.
        var first = declaration.GetFirstToken();
        var leading = first.LeadingTrivia;
        list = list.WithLeadingTrivia(leading).WithTrailingTrivia(endOfLine);
        var updated = declaration.ReplaceToken(first, first.WithLeadingTrivia(TriviaHelpers.Indentation(leading)));
        return updated.WithAttributeLists(SyntaxFactory.SingletonList(list));
    }

    /// <summary>
    /// Removes attributes from a declaration; emptied lists disappear, their comments and doc comments stay.
    /// <paramref name="remove"/> receives the index of the list and of the attribute in it, so that it can
    /// be decided on the original declaration and applied to a rewritten copy.
    /// </summary>
    public static TypeDeclarationSyntax RemoveAttributes(TypeDeclarationSyntax declaration, System.Func<int, int, bool> remove)
    {
        var kept = new System.Collections.Generic.List<AttributeListSyntax>();
        var carried = SyntaxFactory.TriviaList();
        var changed = false;
        for (var listIndex = 0; listIndex < declaration.AttributeLists.Count; listIndex++)
        {
            var list = declaration.AttributeLists[listIndex];
            var keptAttributes = new System.Collections.Generic.List<AttributeSyntax>();
            for (var i = 0; i < list.Attributes.Count; i++)
            {
                if (!remove(listIndex, i))
                {
                    keptAttributes.Add(list.Attributes[i]);
                }
            }

            if (keptAttributes.Count == list.Attributes.Count)
            {
                kept.Add(carried.Count > 0 ? list.WithLeadingTrivia(carried.AddRange(list.GetLeadingTrivia())) : list);
                carried = SyntaxFactory.TriviaList();
                continue;
            }

            changed = true;
            if (keptAttributes.Count > 0)
            {
                var separators = list.Attributes.GetSeparators().Take(keptAttributes.Count - 1);
                var updated = list.WithAttributes(SyntaxFactory.SeparatedList(keptAttributes, separators));
                kept.Add(carried.Count > 0 ? updated.WithLeadingTrivia(carried.AddRange(updated.GetLeadingTrivia())) : updated);
                carried = SyntaxFactory.TriviaList();
                continue;
            }

            carried = carried.AddRange(CarriedTrivia(list));
        }

        if (!changed)
        {
            return declaration;
        }

        var result = declaration.WithAttributeLists(SyntaxFactory.List(kept));
        if (carried.Count > 0)
        {
            // No list is left after the removed ones: the modifiers or the type keyword take the trivia.
            var next = kept.Count > 0 ? result.AttributeLists[kept.Count - 1].GetLastToken().GetNextToken() : FirstTokenAfterAttributes(result);
            result = result.ReplaceToken(next, next.WithLeadingTrivia(carried.AddRange(next.LeadingTrivia)));
        }

        return result;
    }

    /// <summary>What survives of a removed attribute list: its leading comments, and a trailing comment on its own line.</summary>
    private static SyntaxTriviaList CarriedTrivia(AttributeListSyntax list)
    {
        var leading = list.GetLeadingTrivia();
        var trailing = list.GetTrailingTrivia();
        if (!TriviaHelpers.HasEndOfLine(trailing))
        {
            // [A] class C: the next token continues the line, so the list's indentation stays.
            return leading;
        }

        var result = TriviaHelpers.WithoutIndentation(leading);
        if (TriviaHelpers.HasComment(trailing))
        {
            result = result.AddRange(TriviaHelpers.Indentation(leading))
                .AddRange(trailing.SkipWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
        }

        return result;
    }

    private static SyntaxToken FirstTokenAfterAttributes(TypeDeclarationSyntax declaration) =>
        declaration.Modifiers.Count > 0 ? declaration.Modifiers[0] : declaration.Keyword;
}
