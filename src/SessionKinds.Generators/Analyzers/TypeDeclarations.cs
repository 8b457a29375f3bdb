using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SessionKinds.Generators.Analyzers;

/// <summary>Syntax helpers shared by the analyzers.</summary>
internal static class TypeDeclarations
{
    /// <summary>Whether the type or one of its containing types has type parameters.</summary>
    public static bool IsInGenericContext(INamedTypeSymbol type, out INamedTypeSymbol? genericType)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.Length > 0)
            {
                genericType = current;
                return true;
            }
        }

        genericType = null;
        return false;
    }

    /// <summary>The source declarations of a type (class, struct, record, interface).</summary>
    public static IEnumerable<TypeDeclarationSyntax> GetDeclarations(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration)
            {
                yield return declaration;
            }
        }
    }

    /// <summary>The first declaration of the type without the <c>partial</c> modifier, or <see langword="null"/>.</summary>
    public static TypeDeclarationSyntax? FindNonPartialDeclaration(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var declaration in GetDeclarations(type, cancellationToken))
        {
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return declaration;
            }
        }

        return null;
    }

    /// <summary>The identifier of the declaration that carries <paramref name="attribute"/>, else the type's first source location.</summary>
    public static Location? IdentifierOf(INamedTypeSymbol type, AttributeSyntax? attribute)
    {
        if (attribute?.Parent?.Parent is BaseTypeDeclarationSyntax declaration)
        {
            return declaration.Identifier.GetLocation();
        }

        return FirstSourceLocation(type);
    }

    public static Location? FirstSourceLocation(ISymbol symbol)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return location;
            }
        }

        return null;
    }
}
