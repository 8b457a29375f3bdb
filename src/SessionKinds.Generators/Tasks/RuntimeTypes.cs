using Microsoft.CodeAnalysis;

namespace SessionKinds.Generators.Tasks;

/// <summary>
/// Recognizes the runtime's types by metadata name, as <c>ForAttributeWithMetadataName</c> recognizes the attributes:
/// cheap (no compilation-wide lookup), the same in the generator, the analyzers and the code fixes.
/// </summary>
internal static class RuntimeTypes
{
    /// <summary>Whether <paramref name="type"/> is the top-level type <paramref name="metadataName"/> (<c>SessionKinds.&lt;Name&gt;</c>).</summary>
    public static bool Is(INamedTypeSymbol type, string metadataName)
    {
        // metadataName is "SessionKinds.<Name>": compare the simple name first, then the namespace, without allocating.
        var prefix = TypeNames.Namespace.Length + 1;
        return type.ContainingType is null
            && type.MetadataName.Length == metadataName.Length - prefix
            && string.CompareOrdinal(type.MetadataName, 0, metadataName, prefix, type.MetadataName.Length) == 0
            && IsInRuntimeNamespace(type);
    }

    /// <summary>Whether <paramref name="type"/> is declared directly in the <c>SessionKinds</c> namespace.</summary>
    public static bool IsInRuntimeNamespace(INamedTypeSymbol type) =>
        type.ContainingType is null
        && type.ContainingNamespace is { Name: TypeNames.Namespace } ns
        && ns.ContainingNamespace is { IsGlobalNamespace: true };

    /// <summary>Whether the type implements <c>SessionKinds.IAgentTask</c>.</summary>
    public static bool IsAgentTask(ITypeSymbol type)
    {
        foreach (var implemented in type.AllInterfaces)
        {
            if (Is(implemented, TypeNames.AgentTask))
            {
                return true;
            }
        }

        return false;
    }
}
