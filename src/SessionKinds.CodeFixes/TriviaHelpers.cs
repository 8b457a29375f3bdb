using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SessionKinds.CodeFixes;

/// <summary>Trivia helpers that keep a user's comments, doc comments, indentation and line endings.</summary>
internal static class TriviaHelpers
{
    /// <summary>The line ending the document already uses (<c>\r\n</c> or <c>\n</c>).</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia.ToString() == "\r\n" ? SyntaxFactory.CarriageReturnLineFeed : SyntaxFactory.LineFeed;
            }
        }

        return SyntaxFactory.LineFeed;
    }

    /// <summary>The whitespace that indents the line a token starts (the whitespace after the last line break of its leading trivia).</summary>
    public static SyntaxTriviaList Indentation(SyntaxTriviaList leading)
    {
        return leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading[leading.Count - 1])
            : SyntaxFactory.TriviaList();
    }

    /// <summary>The trivia without its final indentation whitespace.</summary>
    public static SyntaxTriviaList WithoutIndentation(SyntaxTriviaList leading)
    {
        return leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading.Take(leading.Count - 1))
            : leading;
    }

    /// <summary>
    /// Removes the elastic trivia that <see cref="SyntaxFactory"/> puts on new tokens: code actions format
    /// around elastic trivia, which would move a user's inline attributes or modifiers to other lines.
    /// </summary>
    public static TNode WithoutElasticTrivia<TNode>(TNode node)
        where TNode : SyntaxNode
    {
        return node.ReplaceTokens(node.DescendantTokens(), (_, token) => token
            .WithLeadingTrivia(token.LeadingTrivia.Where(t => !t.HasAnnotation(SyntaxAnnotation.ElasticAnnotation)))
            .WithTrailingTrivia(token.TrailingTrivia.Where(t => !t.HasAnnotation(SyntaxAnnotation.ElasticAnnotation))));
    }

    /// <summary>A new token with exactly the given trivia (no elastic trivia).</summary>
    public static SyntaxToken Token(SyntaxKind kind, SyntaxTriviaList leading, SyntaxTriviaList trailing) =>
        SyntaxFactory.Token(leading, kind, trailing);

    public static bool HasEndOfLine(SyntaxTriviaList trivia) => trivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));

    public static bool HasComment(SyntaxTriviaList trivia) =>
        trivia.Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia));
}
