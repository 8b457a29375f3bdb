using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SessionKinds.Generators.Generation.Model;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.Generators.Generation;

/// <summary>
/// The generator's transform: the <see cref="TaskInspector"/> decides whether an attributed class is a task it
/// completes; this turns a completed task into the value-equal <see cref="SessionTaskSpec"/> the emitter writes
/// (names, nesting, hint name, how the registry reaches it). Nothing here decides a rule the analyzers report.
/// </summary>
internal static class TaskSpecs
{
    /// <summary>The public static member generated on heartbeat tasks.</summary>
    public const string RingAccessorName = "OpenHeartbeatRing";

    private const string SessionStoreName = "SessionStore";

    /// <summary>
    /// The syntax predicate of every kind: a <c>partial</c> class or record class. Cheap (modifiers only); the
    /// inspection decides the rest.
    /// </summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) => node switch
    {
        ClassDeclarationSyntax declaration => declaration.Modifiers.Any(SyntaxKind.PartialKeyword),
        RecordDeclarationSyntax declaration => !declaration.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) && declaration.Modifiers.Any(SyntaxKind.PartialKeyword),
        _ => false,
    };

    /// <summary>The transform of the pipeline of <paramref name="kind"/>: the spec of a task it completes, otherwise <see langword="null"/>.</summary>
    public static SessionTaskSpec? Transform(GeneratorAttributeSyntaxContext context, SessionKindInfo kind, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        var inspection = TaskInspector.Inspect(type, cancellationToken);
        return inspection.IsCompleted && inspection.Kind == kind
            ? Create(inspection, context.SemanticModel.Compilation, cancellationToken)
            : null;
    }

    /// <summary>The spec of a task the inspection found complete (<see cref="TaskInspection.IsCompleted"/>).</summary>
    public static SessionTaskSpec Create(TaskInspection inspection, Compilation compilation, CancellationToken cancellationToken)
    {
        var type = inspection.Type;
        var kind = inspection.Kind!;

        var containingTypes = new List<ContainingTypeSpec>();
        for (var current = type.ContainingType; current is not null; current = current.ContainingType)
        {
            containingTypes.Add(DescribeContainingType(current));
        }

        containingTypes.Reverse();

        var isObsoleteError = IsObsoleteError(type);
        if (!isObsoleteError)
        {
            MarkRegistrationAccessorHosts(type, containingTypes);
        }

        var namespaceParts = TaskInspector.NamespaceParts(type.ContainingNamespace);
        var metadataName = TaskInspector.MetadataName(type);

        // Hint names are compared ignoring case: a task whose full name differs from another type's only by case
        // (Abc and ABC) gets a discriminator, so both files can be added.
        var hintName = HasCaseInsensitiveNamesake(type, namespaceParts, compilation, cancellationToken)
            ? metadataName + "-" + StableHash(metadataName)
            : metadataName;

        return new SessionTaskSpec(
            Namespace: string.Join(".", namespaceParts.ConvertAll(Identifier)),
            ContainingTypes: new EquatableArray<ContainingTypeSpec>(containingTypes.ToImmutableArray()),
            Keyword: type.IsRecord ? "record" : "class",
            Name: Identifier(type.Name),
            FullName: metadataName.Replace('+', '.'),
            HintName: hintName + ".g.cs",
            Kind: kind.Kind,
            Heartbeat: inspection.Heartbeat,
            CronSchedule: inspection.CronSchedule,
            CronTimeZone: inspection.CronTimeZone,
            Factory: inspection.Factory,
            HidesInheritedRingAccessor: kind == SessionKindTable.Heartbeat && InheritsRingAccessor(type, compilation, cancellationToken),
            IsObsoleteError: isObsoleteError);
    }

    /// <summary>
    /// The registry is a top-level type of the assembly: it can name a nested type only if every type from the
    /// outermost down is public, internal or protected internal. For every type on the way that is not (private,
    /// protected, private protected), the type containing it, which can see it, hosts a registration accessor.
    /// </summary>
    private static void MarkRegistrationAccessorHosts(INamedTypeSymbol type, List<ContainingTypeSpec> containingTypes)
    {
        var index = containingTypes.Count; // the task's index in the chain outermost → task
        for (var current = type; current.ContainingType is not null; current = current.ContainingType, index--)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                containingTypes[index - 1] = containingTypes[index - 1] with { HostsRegistrationAccessor = true };
            }
        }
    }

    private static ContainingTypeSpec DescribeContainingType(INamedTypeSymbol type)
    {
        var name = Identifier(type.Name);
        return type.TypeKind switch
        {
            TypeKind.Struct => new ContainingTypeSpec(
                (type.IsReadOnly, type.IsRefLikeType) switch
                {
                    (true, true) => "readonly ref",
                    (true, false) => "readonly",
                    (false, true) => "ref",
                    _ => "",
                },
                type.IsRecord ? "record struct" : "struct",
                name),
            TypeKind.Interface => new ContainingTypeSpec("", "interface", name),

            // The inspection completes only tasks whose containers are classes, structs or interfaces.
            _ => new ContainingTypeSpec(type.IsStatic ? "static" : "", type.IsRecord ? "record" : "class", name),
        };
    }

    /// <summary>
    /// Whether a base type has an accessible member that the generated <c>OpenHeartbeatRing(SessionStore)</c>
    /// hides, typically because the base is itself a heartbeat task: then the accessor is declared <c>new</c>,
    /// otherwise CS0108 breaks a build with warnings as errors (and a needless <c>new</c> would be CS0109).
    /// </summary>
    private static bool InheritsRingAccessor(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            // A heartbeat task of this compilation gets its accessor from this generator, so the compilation
            // the generator sees does not contain it yet. (A base from a referenced assembly already has it.)
            if (SymbolEqualityComparer.Default.Equals(baseType.ContainingAssembly, compilation.Assembly)
                && TaskInspector.Inspect(baseType, cancellationToken) is { IsCompleted: true } inspection
                && inspection.Kind == SessionKindTable.Heartbeat)
            {
                return true;
            }

            foreach (var member in baseType.GetMembers(RingAccessorName))
            {
                if (member.IsImplicitlyDeclared || !compilation.IsSymbolAccessibleWithin(member, type))
                {
                    continue;
                }

                if (member is IMethodSymbol method && !HasRingAccessorSignature(method))
                {
                    continue; // an overload, not hidden
                }

                return true;
            }
        }

        return false;
    }

    private static bool HasRingAccessorSignature(IMethodSymbol method) =>
        method.Arity == 0
        && method.Parameters.Length == 1
        && method.Parameters[0].RefKind == RefKind.None
        && method.Parameters[0].Type is INamedTypeSymbol { Name: SessionStoreName } parameterType
        && RuntimeTypes.IsInRuntimeNamespace(parameterType);

    private static bool IsObsoleteError(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            foreach (var attribute in current.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "ObsoleteAttribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
                    && attribute.ConstructorArguments.Length == 2
                    && attribute.ConstructorArguments[1].Value is true)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether another type of this assembly has the task's full name ignoring case. Searches only the
    /// path to the task (namespace by namespace, type by type), comparing names ordinally ignoring case.
    /// </summary>
    private static bool HasCaseInsensitiveNamesake(INamedTypeSymbol type, List<string> namespaceParts, Compilation compilation, CancellationToken cancellationToken)
    {
        var path = new List<string>(namespaceParts);
        for (var current = type; current is not null; current = current.ContainingType)
        {
            path.Insert(namespaceParts.Count, current.Name);
        }

        return Search(compilation.Assembly.GlobalNamespace, 0);

        bool Search(INamespaceOrTypeSymbol container, int level)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in container.GetMembers())
            {
                if (member is not INamespaceOrTypeSymbol next || !string.Equals(member.Name, path[level], StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (level == path.Count - 1)
                {
                    if (next is INamedTypeSymbol && !SymbolEqualityComparer.Default.Equals(next, type))
                    {
                        return true;
                    }
                }
                else if (Search(next, level + 1))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>FNV-1a over the UTF-16 code units, as eight hex digits: stable across runs and platforms.</summary>
    private static string StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A name as a C# identifier: reserved keywords get a verbatim <c>@</c>.</summary>
    private static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
