using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SessionKinds.Generators.Generation.Model;

namespace SessionKinds.Generators.Generation;

/// <summary>
/// Turns an attributed class into a <see cref="SessionTaskSpec"/>, or <see langword="null"/> for a class
/// the generator cannot complete. It never reports diagnostics: the analyzers explain every skip
/// (SKND0003 two kinds, SKND0004 not partial, SKND0005 bad schedule, SKND0006 heartbeat settings,
/// SKND0007 not an <c>IAgentTask</c>, SKND0009 generic).
/// </summary>
internal static class SessionTaskParser
{
    /// <summary>The public static member generated on heartbeat tasks.</summary>
    public const string RingAccessorName = "OpenHeartbeatRing";

    /// <summary>The metadata name of the generated registry; a task of that name would collide with it.</summary>
    public const string RegistryMetadataName = "SessionKinds.Generated.SessionTasks";

    private const string AgentStoreName = "AgentStore";

    /// <summary>
    /// The syntax predicate of every kind: a <c>partial</c> class or record class. Cheap (modifiers only);
    /// the semantic checks are in <see cref="Parse"/>.
    /// </summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) => node switch
    {
        ClassDeclarationSyntax declaration => IsPartial(declaration),
        RecordDeclarationSyntax declaration => !declaration.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) && IsPartial(declaration),
        _ => false,
    };

    /// <summary>The transform of the <paramref name="kind"/> attribute's pipeline.</summary>
    public static SessionTaskSpec? Parse(GeneratorAttributeSyntaxContext context, SessionTaskKind kind, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || context.Attributes.Length != 1
            || !TryReadTask(type, context.Attributes[0], kind, cancellationToken, out var task))
        {
            return null;
        }

        var compilation = context.SemanticModel.Compilation;
        var namespaceParts = NamespaceParts(type.ContainingNamespace);
        var metadataName = MetadataName(namespaceParts, type);

        // Hint names are compared ignoring case: a task whose full name differs from another type's only by
        // case (Abc and ABC) gets a discriminator, so both files can be added.
        var hintName = HasCaseInsensitiveNamesake(type, namespaceParts, compilation, cancellationToken)
            ? metadataName + "-" + StableHash(metadataName)
            : metadataName;

        return new SessionTaskSpec(
            Namespace: string.Join(".", namespaceParts.ConvertAll(Identifier)),
            ContainingTypes: task.ContainingTypes,
            Keyword: type.IsRecord ? "record" : "class",
            Name: Identifier(type.Name),
            FullName: FullName(namespaceParts, type),
            HintName: hintName + ".g.cs",
            Kind: kind,
            Heartbeat: task.Heartbeat,
            CronSchedule: task.Schedule,
            HidesInheritedRingAccessor: kind == SessionTaskKind.Heartbeat && InheritsRingAccessor(type, compilation, cancellationToken),
            IsObsoleteError: IsObsoleteError(type));
    }

    /// <summary>
    /// Whether the generator can complete <paramref name="type"/> as a <paramref name="kind"/> task, and if so
    /// its containing types and settings. Every rule the analyzers report is a reason to return <see langword="false"/>.
    /// </summary>
    private static bool TryReadTask(INamedTypeSymbol type, AttributeData attribute, SessionTaskKind kind, CancellationToken cancellationToken, out TaskParts task)
    {
        task = default;
        if (type.TypeKind != TypeKind.Class || type.IsStatic || type.IsImplicitlyDeclared)
        {
            return false;
        }

        // One kind per type (SKND0003); counting over every part also catches a kind attribute repeated on two parts.
        if (CountKindAttributes(type) != 1 || !ImplementsAgentTask(type))
        {
            return false;
        }

        var containingTypes = new List<ContainingTypeSpec>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Generic tasks and tasks nested in generic types are not supported (SKND0009); file-local types
            // cannot be completed from another file; every declaration must be partial (SKND0004).
            if (current.Arity > 0 || current.IsFileLocal || !IsPartialEverywhere(current, cancellationToken))
            {
                return false;
            }

            if (!SymbolEqualityComparer.Default.Equals(current, type))
            {
                if (DescribeContainingType(current) is not { } containing)
                {
                    return false;
                }

                containingTypes.Add(containing);
            }
        }

        containingTypes.Reverse();

        if (attribute.AttributeClass is not { } attributeClass || attribute.AttributeConstructor is null)
        {
            return false;
        }

        HeartbeatSpec? heartbeat = null;
        string? schedule = null;
        switch (kind)
        {
            case SessionTaskKind.Heartbeat:
                heartbeat = ReadHeartbeat(attribute, attributeClass);
                if (heartbeat is null)
                {
                    return false;
                }

                break;
            case SessionTaskKind.Cron:
                schedule = ReadSchedule(attribute);
                if (schedule is null)
                {
                    return false;
                }

                break;
        }

        // The registry's own name is taken.
        if (string.Equals(MetadataName(NamespaceParts(type.ContainingNamespace), type), RegistryMetadataName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        task = new TaskParts(new EquatableArray<ContainingTypeSpec>(containingTypes.ToImmutableArray()), heartbeat, schedule);
        return true;
    }

    private static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var references = type.DeclaringSyntaxReferences;
        if (references.IsEmpty)
        {
            return false;
        }

        foreach (var reference in references)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration || !IsPartial(declaration))
            {
                return false;
            }
        }

        return true;
    }

    private static ContainingTypeSpec? DescribeContainingType(INamedTypeSymbol type)
    {
        var name = Identifier(type.Name);
        return type.TypeKind switch
        {
            TypeKind.Class => new ContainingTypeSpec(type.IsStatic ? "static" : "", type.IsRecord ? "record" : "class", name),
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
            _ => null,
        };
    }

    private static int CountKindAttributes(INamedTypeSymbol type)
    {
        var count = 0;
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass
                && (Is(attributeClass, TypeNames.UserSessionAttribute)
                    || Is(attributeClass, TypeNames.HeartbeatSessionAttribute)
                    || Is(attributeClass, TypeNames.CronSessionAttribute)
                    || Is(attributeClass, TypeNames.SubagentSessionAttribute)))
            {
                count++;
            }
        }

        return count;
    }

    private static bool ImplementsAgentTask(INamedTypeSymbol type)
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

    private static HeartbeatSpec? ReadHeartbeat(AttributeData attribute, INamedTypeSymbol attributeClass)
    {
        // The defaults come from the attribute's own constants, so the generator cannot drift from the runtime.
        var ringSize = DefaultConstant(attributeClass, "DefaultRingSize", AgentFileNameRules.DefaultRingSize);
        var ackMaxChars = DefaultConstant(attributeClass, "DefaultAckMaxChars", AgentFileNameRules.DefaultAckMaxChars);
        var ringFile = DefaultConstant(attributeClass, "DefaultRingFile", AgentFileNameRules.DefaultRingFile);

        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value;
            if (value.Kind == TypedConstantKind.Error)
            {
                return null;
            }

            switch (argument.Key)
            {
                case "RingSize" when value.Value is int size:
                    ringSize = size;
                    break;
                case "AckMaxChars" when value.Value is int max:
                    ackMaxChars = max;
                    break;
                case "RingFile" when value.Value is string file:
                    ringFile = file;
                    break;
                default:
                    // A null ring file, or a value the compiler could not convert: nothing sensible to emit.
                    return null;
            }
        }

        // The same rules as the runtime and SKND0006 (src/Shared): the generator skips what the analyzer reports.
        return AgentFileNameRules.FindHeartbeatSettingsProblem(ringSize, ackMaxChars, ringFile) is null ? new HeartbeatSpec(ringSize, ackMaxChars, ringFile) : null;
    }

    private static T DefaultConstant<T>(INamedTypeSymbol attributeClass, string name, T fallback)
    {
        foreach (var member in attributeClass.GetMembers(name))
        {
            if (member is IFieldSymbol { IsConst: true, ConstantValue: T value })
            {
                return value;
            }
        }

        return fallback;
    }

    private static string? ReadSchedule(AttributeData attribute)
    {
        if (attribute.ConstructorArguments.Length != 1)
        {
            return null;
        }

        var argument = attribute.ConstructorArguments[0];
        return argument.Kind != TypedConstantKind.Error && argument.Value is string schedule && IsValidSchedule(schedule) ? schedule : null;
    }

    private static bool IsValidSchedule(string schedule)
    {
        try
        {
            return TryParseSchedule(schedule);
        }
        catch (Exception ex) when (ex is System.IO.FileNotFoundException or System.IO.FileLoadException or BadImageFormatException or TypeLoadException)
        {
            // The cron parser is not loadable in this compiler host (a packaging problem the analyzer surfaces):
            // the schedule cannot be checked here, so complete the task; the runtime parses it again at start-up.
            return true;
        }
        catch (Exception)
        {
            // The generator never throws (an exception would surface as CS8785); the analyzer reports the schedule.
            return false;
        }
    }

    // Separate and not inlined, so that failing to load the cron parser happens inside the try above.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryParseSchedule(string schedule) => CronScheduleSyntax.TryParse(schedule, out _, out _);

    /// <summary>
    /// Whether a base type has an accessible member that the generated <c>OpenHeartbeatRing(AgentStore)</c>
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
                && WillBeCompletedAsHeartbeat(baseType, cancellationToken))
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

    private static bool WillBeCompletedAsHeartbeat(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && Is(attributeClass, TypeNames.HeartbeatSessionAttribute))
            {
                return TryReadTask(type, attribute, SessionTaskKind.Heartbeat, cancellationToken, out _);
            }
        }

        return false;
    }

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

    private static bool HasRingAccessorSignature(IMethodSymbol method) =>
        method.Arity == 0
        && method.Parameters.Length == 1
        && method.Parameters[0].RefKind == RefKind.None
        && method.Parameters[0].Type is INamedTypeSymbol { Name: AgentStoreName } parameterType
        && IsInRuntimeNamespace(parameterType);

    private static bool Is(INamedTypeSymbol type, string metadataName)
    {
        // metadataName is "SessionKinds.<Name>": compare the simple name first, then the namespace, without allocating.
        var prefix = TypeNames.Namespace.Length + 1;
        return type.ContainingType is null
            && type.MetadataName.Length == metadataName.Length - prefix
            && string.CompareOrdinal(type.MetadataName, 0, metadataName, prefix, type.MetadataName.Length) == 0
            && IsInRuntimeNamespace(type);
    }

    private static bool IsInRuntimeNamespace(INamedTypeSymbol type) =>
        type.ContainingType is null
        && type.ContainingNamespace is { Name: TypeNames.Namespace } ns
        && ns.ContainingNamespace is { IsGlobalNamespace: true };

    private static List<string> NamespaceParts(INamespaceSymbol? ns)
    {
        var parts = new List<string>();
        for (var current = ns; current is not null && !current.IsGlobalNamespace; current = current.ContainingNamespace)
        {
            parts.Add(current.Name);
        }

        parts.Reverse();
        return parts;
    }

    private static string FullName(List<string> namespaceParts, INamedTypeSymbol type) => Join(namespaceParts, type, '.');

    private static string MetadataName(List<string> namespaceParts, INamedTypeSymbol type) => Join(namespaceParts, type, '+');

    private static string Join(List<string> namespaceParts, INamedTypeSymbol type, char nestedSeparator)
    {
        var types = new List<string>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            types.Add(current.Name);
        }

        types.Reverse();
        var typePart = string.Join(nestedSeparator.ToString(), types);
        return namespaceParts.Count == 0 ? typePart : string.Join(".", namespaceParts) + "." + typePart;
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

    /// <summary>What <see cref="TryReadTask"/> learns about a task it can complete.</summary>
    private readonly record struct TaskParts(EquatableArray<ContainingTypeSpec> ContainingTypes, HeartbeatSpec? Heartbeat, string? Schedule);
}
