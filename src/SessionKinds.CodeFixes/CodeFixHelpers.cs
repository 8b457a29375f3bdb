using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using SessionKinds.Generators.Analyzers;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.CodeFixes;

/// <summary>Finds what a diagnostic points at.</summary>
internal static class CodeFixHelpers
{
    /// <summary>The type declaration whose identifier the diagnostic is reported on, with its symbol.</summary>
    public static async Task<(TypeDeclarationSyntax Declaration, INamedTypeSymbol Type, SemanticModel Model)?> FindTypeAsync(
        Document document, TextSpan span, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var token = root.FindToken(span.Start);
        if (token.Parent is not TypeDeclarationSyntax declaration || declaration.Identifier != token)
        {
            return null;
        }

        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type)
        {
            return null;
        }

        return (declaration, type, model);
    }

    /// <summary>The runtime type with the given metadata name, resolved as the analyzers resolve it.</summary>
    public static INamedTypeSymbol? Resolve(Compilation compilation, string metadataName) =>
        SessionKindsSymbols.Resolve(compilation, metadataName);

    public static string KindsProperty(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(DiagnosticProperties.Kinds, out var kinds) ? kinds ?? string.Empty : string.Empty;

    /// <summary>The title of an action that removes the kind attributes a diagnostic names: <c>Remove [UserSession] and [CronSession]</c>.</summary>
    public static string RemoveKindsTitle(Diagnostic diagnostic)
    {
        var kinds = KindsProperty(diagnostic).Split(',')
            .Select(SessionKindTable.FromKindName)
            .Where(k => k is not null)
            .Select(k => k!.Bracketed)
            .ToList();
        return kinds.Count == 0 ? "Remove the session kind attribute" : "Remove " + string.Join(" and ", kinds);
    }
}
