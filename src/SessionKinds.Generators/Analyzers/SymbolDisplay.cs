using Microsoft.CodeAnalysis;

namespace SessionKinds.Generators.Analyzers;

/// <summary>How diagnostics name types: with containing types, without namespace (<c>Outer.InboxCheck</c>).</summary>
internal static class SymbolDisplay
{
    public static readonly SymbolDisplayFormat TypeFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    public static readonly SymbolDisplayFormat MemberFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    public static string Name(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    /// <summary>A method or constructor: <c>SessionStore.StartSession</c>, <c>new SessionTaskInfo</c>.</summary>
    public static string Member(ISymbol member)
    {
        if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
        {
            return "new " + constructor.ContainingType.ToDisplayString(TypeFormat);
        }

        return member.OriginalDefinition.ToDisplayString(MemberFormat);
    }
}
