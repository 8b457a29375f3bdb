using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.Generators.Analyzers;

/// <summary>
/// The SessionKinds runtime types SKND0002 compares against, resolved once at compilation start (whether a class
/// is a task, and its kind, is the <see cref="TaskInspector"/>'s business). A name is
/// resolved with <see cref="Compilation.GetTypesByMetadataName"/>, preferring the type from the
/// <c>SessionKinds</c> assembly, then one declared in the compilation itself, then a unique match.
/// </summary>
internal sealed class SessionKindsSymbols
{
    /// <summary>The name of the runtime assembly.</summary>
    public const string RuntimeAssemblyName = "SessionKinds";

    private SessionKindsSymbols(Compilation compilation)
    {
        AgentTask = Resolve(compilation, TypeNames.AgentTask);
        SessionTask = Resolve(compilation, TypeNames.SessionTask);
        SessionKind = Resolve(compilation, TypeNames.SessionKind);

        foreach (var info in SessionKindTable.All)
        {
            if (Resolve(compilation, info.MetadataName) is not null)
            {
                HasKindAttributes = true;
                break;
            }
        }

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
    public bool HasKindAttributes { get; }

    public static SessionKindsSymbols Create(Compilation compilation) => new(compilation);

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
