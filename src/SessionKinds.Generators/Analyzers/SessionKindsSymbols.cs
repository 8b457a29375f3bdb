using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace SessionKinds.Generators.Analyzers;

/// <summary>
/// The SessionKinds runtime types of one compilation, resolved once at compilation start. A name is
/// resolved with <see cref="Compilation.GetTypesByMetadataName"/>, preferring the type from the
/// <c>SessionKinds</c> assembly, then one declared in the compilation itself, then a unique match.
/// </summary>
internal sealed class SessionKindsSymbols
{
    /// <summary>The name of the runtime assembly.</summary>
    public const string RuntimeAssemblyName = "SessionKinds";

    private readonly ImmutableArray<(INamedTypeSymbol Symbol, SessionKindAttributeInfo Info)> _kindAttributes;

    private SessionKindsSymbols(Compilation compilation)
    {
        AgentTask = Resolve(compilation, TypeNames.AgentTask);
        SessionTask = Resolve(compilation, TypeNames.SessionTask);
        SessionKind = Resolve(compilation, TypeNames.SessionKind);

        var attributes = ImmutableArray.CreateBuilder<(INamedTypeSymbol, SessionKindAttributeInfo)>();
        foreach (var info in SessionKindAttributes.All)
        {
            if (Resolve(compilation, info.MetadataName) is { } attribute)
            {
                attributes.Add((attribute, info));
            }
        }

        _kindAttributes = attributes.ToImmutable();
        DefinedKindValues = GetDefinedKindValues(SessionKind);
    }

    /// <summary><c>SessionKinds.IAgentTask</c>, when referenced.</summary>
    public INamedTypeSymbol? AgentTask { get; }

    /// <summary><c>SessionKinds.ISessionTask</c>, when referenced.</summary>
    public INamedTypeSymbol? SessionTask { get; }

    /// <summary><c>SessionKinds.SessionKind</c>, when referenced.</summary>
    public INamedTypeSymbol? SessionKind { get; }

    /// <summary>The values of the <c>SessionKind</c> members that are real kinds (every member but the one equal to 0).</summary>
    public ImmutableArray<long> DefinedKindValues { get; }

    /// <summary>Whether the compilation references SessionKinds at all.</summary>
    public bool HasKindAttributes => _kindAttributes.Length > 0;

    public static SessionKindsSymbols Create(Compilation compilation) => new(compilation);

    /// <summary>The session kind of an attribute class, or <see langword="null"/> when it is not one.</summary>
    public SessionKindAttributeInfo? GetKindAttribute(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null)
        {
            return null;
        }

        foreach (var (symbol, info) in _kindAttributes)
        {
            if (SymbolEqualityComparer.Default.Equals(symbol, attributeClass))
            {
                return info;
            }
        }

        return null;
    }

    /// <summary>The session kind attributes on <paramref name="type"/> (all its parts), in source order.</summary>
    public ImmutableArray<KindAttributeUsage> GetKindAttributes(INamedTypeSymbol type)
    {
        if (_kindAttributes.IsEmpty)
        {
            return ImmutableArray<KindAttributeUsage>.Empty;
        }

        ImmutableArray<KindAttributeUsage>.Builder? builder = null;
        foreach (var attribute in type.GetAttributes())
        {
            if (GetKindAttribute(attribute.AttributeClass) is { } info)
            {
                builder ??= ImmutableArray.CreateBuilder<KindAttributeUsage>();
                builder.Add(new KindAttributeUsage(attribute, info));
            }
        }

        return builder?.ToImmutable() ?? ImmutableArray<KindAttributeUsage>.Empty;
    }

    /// <summary>Whether the type has at least one session kind attribute.</summary>
    public bool HasKind(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named || _kindAttributes.IsEmpty)
        {
            return false;
        }

        foreach (var attribute in named.GetAttributes())
        {
            if (GetKindAttribute(attribute.AttributeClass) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the type carries an attribute that does not bind but is spelled like a session kind
    /// attribute (<c>[UserSession]</c> without <c>using SessionKinds;</c>): the compiler reports it, and
    /// asking for a kind on top would be noise.
    /// </summary>
    public static bool HasUnresolvedKindAttribute(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { TypeKind: TypeKind.Error } error)
            {
                foreach (var info in SessionKindAttributes.All)
                {
                    if (error.Name == info.ShortName || error.Name == info.ShortName + "Attribute")
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Whether the type implements <c>IAgentTask</c>.</summary>
    public bool IsAgentTask(ITypeSymbol type)
    {
        if (AgentTask is null)
        {
            return false;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, AgentTask))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a constraint type is <c>ISessionTask</c> or an interface that derives from it.</summary>
    public bool IsSessionTaskConstraint(ITypeSymbol constraint)
    {
        if (SessionTask is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(constraint, SessionTask))
        {
            return true;
        }

        foreach (var implemented in constraint.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, SessionTask))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a type parameter requires a session task.</summary>
    public bool RequiresSessionTask(ITypeParameterSymbol typeParameter)
    {
        foreach (var constraint in typeParameter.ConstraintTypes)
        {
            if (IsSessionTaskConstraint(constraint))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The nearest base class that carries a session kind attribute, or <see langword="null"/>.</summary>
    public (INamedTypeSymbol Base, SessionKindAttributeInfo Kind)? FindKindedBase(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            var kinds = GetKindAttributes(current.OriginalDefinition);
            if (!kinds.IsEmpty)
            {
                return (current, kinds[0].Info);
            }
        }

        return null;
    }

    /// <summary>Resolves a runtime type: from the SessionKinds assembly, else declared in the compilation, else a unique match.</summary>
    internal static INamedTypeSymbol? Resolve(Compilation compilation, string metadataName)
    {
        var candidates = compilation.GetTypesByMetadataName(metadataName);
        INamedTypeSymbol? declaredHere = null;
        foreach (var candidate in candidates)
        {
            if (candidate.ContainingAssembly is { Name: RuntimeAssemblyName })
            {
                return candidate;
            }

            if (declaredHere is null && SymbolEqualityComparer.Default.Equals(candidate.ContainingAssembly, compilation.Assembly))
            {
                declaredHere = candidate;
            }
        }

        return declaredHere ?? (candidates.Length == 1 ? candidates[0] : null);
    }

    private static ImmutableArray<long> GetDefinedKindValues(INamedTypeSymbol? sessionKind)
    {
        if (sessionKind is null || sessionKind.TypeKind != TypeKind.Enum)
        {
            return ImmutableArray<long>.Empty;
        }

        var values = ImmutableArray.CreateBuilder<long>();
        foreach (var member in sessionKind.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field
                && ConstantValues.TryGetInteger(field.ConstantValue, out var value)
                && value != 0)
            {
                values.Add(value);
            }
        }

        return values.ToImmutable();
    }
}
