using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace SessionKinds.CodeFixes;

/// <summary>Names of SessionKinds types as the user would write them at a given place.</summary>
internal static class TypeNameSyntax
{
    /// <summary>
    /// <c>UserSession</c> when the attribute is already in scope there (a <c>using SessionKinds;</c>, a global
    /// using, or an enclosing namespace); otherwise <c>SessionKinds.UserSession</c>, annotated so that a
    /// <c>using SessionKinds;</c> is added and the name simplified.
    /// </summary>
    public static NameSyntax ForAttribute(SemanticModel model, int position, INamedTypeSymbol attributeClass, string shortName)
    {
        if (IsInScope(model, position, attributeClass) && model.LookupNamespacesAndTypes(position, name: shortName).IsEmpty)
        {
            return SyntaxFactory.IdentifierName(shortName);
        }

        return Qualified(attributeClass.ContainingNamespace, shortName);
    }

    /// <summary><c>SessionKind</c> when in scope, otherwise <c>SessionKinds.SessionKind</c> with a using to add.</summary>
    public static NameSyntax ForType(SemanticModel model, int position, INamedTypeSymbol type)
    {
        return IsInScope(model, position, type) ? SyntaxFactory.IdentifierName(type.Name) : Qualified(type.ContainingNamespace, type.Name);
    }

    /// <summary>
    /// A type as the user would write it: keywords for special types, and otherwise names qualified by their
    /// namespace and annotated so that the namespace is imported and the name simplified.
    /// </summary>
    public static TypeSyntax ForTypeSymbol(ITypeSymbol type)
    {
        TypeSyntax result;
        switch (type)
        {
            case IArrayTypeSymbol array:
                result = SyntaxFactory.ArrayType(
                    ForTypeSymbol(array.ElementType),
                    SyntaxFactory.SingletonList(SyntaxFactory.ArrayRankSpecifier(SyntaxFactory.SeparatedList<ExpressionSyntax>(
                        Enumerable.Repeat<ExpressionSyntax>(SyntaxFactory.OmittedArraySizeExpression(), array.Rank)))));
                break;
            case ITypeParameterSymbol typeParameter:
                result = SyntaxFactory.IdentifierName(typeParameter.Name);
                break;
            case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable:
                return SyntaxFactory.NullableType(ForTypeSymbol(nullable.TypeArguments[0]));
            case INamedTypeSymbol named when Keyword(named.SpecialType) is { } keyword:
                result = SyntaxFactory.PredefinedType(SyntaxFactory.Token(keyword));
                break;
            case INamedTypeSymbol named:
                SimpleNameSyntax simple = named.TypeArguments.Length == 0
                    ? SyntaxFactory.IdentifierName(named.Name)
                    : SyntaxFactory.GenericName(SyntaxFactory.Identifier(named.Name), SyntaxFactory.TypeArgumentList(SyntaxFactory.SeparatedList(named.TypeArguments.Select(ForTypeSymbol))));
                if (named.ContainingType is { } containing)
                {
                    result = SyntaxFactory.QualifiedName((NameSyntax)ForTypeSymbol(containing), simple);
                }
                else if (named.ContainingNamespace is { IsGlobalNamespace: false } ns)
                {
                    result = SyntaxFactory.QualifiedName(NamespaceName(ns), simple)
                        .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
                }
                else
                {
                    result = simple;
                }

                break;
            default:
                result = SyntaxFactory.ParseTypeName(type.ToDisplayString());
                break;
        }

        return type.NullableAnnotation == NullableAnnotation.Annotated && !type.IsValueType ? SyntaxFactory.NullableType(result) : result;
    }

    private static SyntaxKind? Keyword(SpecialType specialType) => specialType switch
    {
        SpecialType.System_Object => SyntaxKind.ObjectKeyword,
        SpecialType.System_Boolean => SyntaxKind.BoolKeyword,
        SpecialType.System_Char => SyntaxKind.CharKeyword,
        SpecialType.System_SByte => SyntaxKind.SByteKeyword,
        SpecialType.System_Byte => SyntaxKind.ByteKeyword,
        SpecialType.System_Int16 => SyntaxKind.ShortKeyword,
        SpecialType.System_UInt16 => SyntaxKind.UShortKeyword,
        SpecialType.System_Int32 => SyntaxKind.IntKeyword,
        SpecialType.System_UInt32 => SyntaxKind.UIntKeyword,
        SpecialType.System_Int64 => SyntaxKind.LongKeyword,
        SpecialType.System_UInt64 => SyntaxKind.ULongKeyword,
        SpecialType.System_Decimal => SyntaxKind.DecimalKeyword,
        SpecialType.System_Single => SyntaxKind.FloatKeyword,
        SpecialType.System_Double => SyntaxKind.DoubleKeyword,
        SpecialType.System_String => SyntaxKind.StringKeyword,
        SpecialType.System_Void => SyntaxKind.VoidKeyword,
        _ => null,
    };

    private static NameSyntax NamespaceName(INamespaceSymbol ns)
    {
        NameSyntax? name = null;
        foreach (var part in ns.ToDisplayString().Split('.'))
        {
            name = name is null ? SyntaxFactory.IdentifierName(part) : SyntaxFactory.QualifiedName(name, SyntaxFactory.IdentifierName(part));
        }

        return name!;
    }

    private static bool IsInScope(SemanticModel model, int position, INamedTypeSymbol type) =>
        model.LookupNamespacesAndTypes(position, name: type.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, type));

    private static NameSyntax Qualified(INamespaceSymbol ns, string name)
    {
        NameSyntax result = ns.IsGlobalNamespace ? SyntaxFactory.IdentifierName(name) : SyntaxFactory.QualifiedName(NamespaceName(ns), SyntaxFactory.IdentifierName(name));
        return result.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
    }
}
