using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using SessionKinds.Generators.Analyzers;
using SessionKinds.Generators.Diagnostics;
using SessionKinds.Generators.Generation.Model;
using SymbolDisplay = SessionKinds.Generators.Analyzers.SymbolDisplay;

namespace SessionKinds.Generators.Tasks;

/// <summary>
/// The one place that decides whether a class is a session task the generator completes, and if not, what is
/// wrong with it. The generator (its transform), the analyzers (every SKND rule about a declaration) and the code
/// fixes (what to edit) all read <see cref="Inspect"/>; no rule is written anywhere else.
/// </summary>
/// <remarks>
/// The rules, in the order they are decided:
/// <list type="number">
/// <item>Only classes count (the attributes are <c>AttributeTargets.Class</c>: on a struct or interface the compiler reports CS0592).</item>
/// <item>No kind attribute: a concrete, non-generic class implementing <c>IAgentTask</c> needs one (SKND0001).</item>
/// <item>A kind on a class that is not an <c>IAgentTask</c> has no effect (SKND0007); nor on an abstract class, because
/// kinds are not inherited and an abstract class cannot run (SKND0010). Neither is completed.</item>
/// <item>More than one kind (SKND0003); a generic class or one nested in a generic type (SKND0009).</item>
/// <item>The class and every type containing it must be partial on every declaration (SKND0004).</item>
/// <item>The attribute's settings: the cron schedule (SKND0005), the heartbeat settings (SKND0006), the heartbeat interval
/// (SKND0012), active hours (SKND0013), time zones (SKND0014) and schedules that never fire (SKND0015, a warning), checked
/// with the runtime's own rules (src/Shared), on every class that carries the attribute.</item>
/// <item>How the generated factory creates a heartbeat or cron task from services (SKND0016, a warning; <see cref="TaskFactories"/>).</item>
/// <item>What the compiler already rejects or no generated file could complete is skipped quietly: an argument that
/// does not bind, a file-local class or container, a class named like the generated registry.</item>
/// </list>
/// </remarks>
internal static class TaskInspector
{
    /// <summary>The metadata name of the generated registry; a task of that name (ignoring case) would collide with it.</summary>
    public const string RegistryMetadataName = "SessionKinds.Generated.SessionTasks";

    private const string RingSizeName = "RingSize";
    private const string AckMaxCharsName = "AckMaxChars";
    private const string RingFileName = "RingFile";
    private const string EveryName = "Every";
    private const string ActiveHoursName = "ActiveHours";
    private const string TimeZoneName = "TimeZone";

    /// <summary>Inspects a type; never throws on half-typed code (only <see cref="OperationCanceledException"/>).</summary>
    public static TaskInspection Inspect(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var none = ImmutableArray<KindAttributeUsage>.Empty;
        if (type.TypeKind != TypeKind.Class || type.IsImplicitlyDeclared)
        {
            return new TaskInspection(type, none, ImmutableArray<TaskProblem>.Empty, isCompleted: false, heartbeat: null, cronSchedule: null, ring: null);
        }

        var kinds = GetKindAttributes(type);
        var problems = ImmutableArray.CreateBuilder<TaskProblem>();
        if (kinds.IsEmpty)
        {
            if (FindMissingKind(type) is { } missing)
            {
                problems.Add(missing);
            }

            return new TaskInspection(type, kinds, problems.ToImmutable(), isCompleted: false, heartbeat: null, cronSchedule: null, ring: null);
        }

        var name = SymbolDisplay.Name(type);
        var identifier = IdentifierOf(type, kinds[0].GetSyntax(cancellationToken));
        var kindProperties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.Kinds, JoinKindNames(kinds));
        var kindList = JoinBracketed(kinds);

        // Whether the declaration makes it a task; a task with one kind owns a ring and may be completed.
        var isTask = false;
        if (!RuntimeTypes.IsAgentTask(type))
        {
            Add(problems, DiagnosticDescriptors.KindOnNonTask, type, identifier, kindProperties, name, kindList);
        }
        else if (type.IsAbstract)
        {
            Add(problems, DiagnosticDescriptors.KindOnAbstractClass, type, identifier, kindProperties, name, kindList);
        }
        else
        {
            if (kinds.Length > 1)
            {
                Add(problems, DiagnosticDescriptors.MultipleSessionKinds, type, identifier, kindProperties, name, kindList);
            }

            if (IsInGenericContext(type, out var genericType))
            {
                var reason = SymbolEqualityComparer.Default.Equals(genericType, type)
                    ? "is generic"
                    : $"is nested in the generic type '{SymbolDisplay.Name(genericType!)}'";
                Add(problems, DiagnosticDescriptors.GenericTask, type, identifier, null, name, reason);
            }
            else
            {
                isTask = kinds.Length == 1;
                AddPartialProblems(problems, type, name, cancellationToken);
                if (WhyNotCompletable(type) is { } reason)
                {
                    Add(problems, DiagnosticDescriptors.TaskCannotBeCompleted, type, identifier, null, name, reason);
                }
            }
        }

        // The settings are checked on every class that carries the attribute, task or not.
        var settingsValid = true;
        HeartbeatSpec? heartbeat = null;
        string? schedule = null;
        string? cronTimeZone = null;
        RingFileClaim? ring = null;
        foreach (var usage in kinds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (usage.Info == SessionKindTable.Heartbeat)
            {
                heartbeat = ReadHeartbeat(type, usage, name, problems, out var claim, cancellationToken);
                settingsValid &= heartbeat is not null;
                if (isTask)
                {
                    ring = claim;
                }
            }
            else if (usage.Info == SessionKindTable.Cron)
            {
                schedule = ReadSchedule(type, usage, name, problems, out cronTimeZone, cancellationToken);
                settingsValid &= schedule is not null && cronTimeZone is not null;
            }
        }

        var isCompleted = isTask
            && settingsValid
            && !HasError(problems)
            && CanBeCompletedFromAnotherFile(type)
            && !string.Equals(MetadataName(type), RegistryMetadataName, StringComparison.OrdinalIgnoreCase);

        // The factory is described for every completed task; a heartbeat or cron task the host could not create is
        // reported (a warning: the task is still completed, and its factory throws saying why).
        var factory = default(FactorySpec);
        if (isCompleted)
        {
            factory = TaskFactories.Describe(type);
            if (factory.Problem is { } factoryProblem && kinds[0].Info is var info && (info == SessionKindTable.Heartbeat || info == SessionKindTable.Cron))
            {
                Add(problems, DiagnosticDescriptors.TaskCannotBeCreated, type, identifier, null, name, factoryProblem);
            }
        }

        return new TaskInspection(
            type,
            kinds,
            problems.ToImmutable(),
            isCompleted,
            isCompleted ? heartbeat : null,
            isCompleted ? schedule : null,
            ring,
            isCompleted ? cronTimeZone : null,
            factory);
    }

    /// <summary>
    /// The nested classes of <paramref name="container"/> (at any depth, outside generic types) that carry a kind
    /// attribute, depth first in declaration order: the tasks whose inspection may find <paramref name="container"/>
    /// not partial.
    /// </summary>
    public static IEnumerable<INamedTypeSymbol> NestedKindedClasses(INamedTypeSymbol container, CancellationToken cancellationToken)
    {
        foreach (var nested in container.GetTypeMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (nested.TypeKind == TypeKind.Class && HasKind(nested))
            {
                yield return nested;
            }

            // A task nested in a generic type is SKND0009, not a reason to make its containers partial.
            if (nested.TypeParameters.Length == 0)
            {
                foreach (var deeper in NestedKindedClasses(nested, cancellationToken))
                {
                    yield return deeper;
                }
            }
        }
    }

    /// <summary>The session kind attributes on <paramref name="type"/> (all its parts), in source order.</summary>
    public static ImmutableArray<KindAttributeUsage> GetKindAttributes(INamedTypeSymbol type)
    {
        ImmutableArray<KindAttributeUsage>.Builder? builder = null;
        foreach (var attribute in type.GetAttributes())
        {
            if (SessionKindTable.FromAttribute(attribute.AttributeClass) is { } info)
            {
                builder ??= ImmutableArray.CreateBuilder<KindAttributeUsage>();
                builder.Add(new KindAttributeUsage(attribute, info));
            }
        }

        return builder?.ToImmutable() ?? ImmutableArray<KindAttributeUsage>.Empty;
    }

    /// <summary>Whether the type has at least one session kind attribute.</summary>
    public static bool HasKind(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (SessionKindTable.FromAttribute(attribute.AttributeClass) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the type carries an attribute that does not bind but is spelled like a session kind attribute
    /// (<c>[UserSession]</c> without <c>using SessionKinds;</c>): the compiler reports it, and asking for a kind on top
    /// would be noise.
    /// </summary>
    public static bool HasUnresolvedKindAttribute(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { TypeKind: TypeKind.Error } error)
            {
                foreach (var info in SessionKindTable.All)
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

    /// <summary>The nearest base class that carries a session kind attribute, or <see langword="null"/>.</summary>
    public static (INamedTypeSymbol Base, SessionKindInfo Kind)? FindKindedBase(INamedTypeSymbol type)
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

    /// <summary>
    /// Whether the type is a class that can run: not abstract (it could not be instantiated, SKND0010) and not static
    /// (it could not implement <c>IAgentTask</c>). Only such a class is asked for a kind (SKND0001), or offered to become
    /// a task (the SKND0007 fix).
    /// </summary>
    public static bool IsConcreteClass(INamedTypeSymbol type) =>
        type is { TypeKind: TypeKind.Class, IsAbstract: false, IsStatic: false };

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

    /// <summary>
    /// The type and the types containing it that have a declaration without <c>partial</c>, innermost first: what a
    /// task needs to become partial for the generator (SKND0004), and what the SKND0001 and SKND0007 fixes make partial
    /// along with their own edit.
    /// </summary>
    public static IEnumerable<(INamedTypeSymbol Type, TypeDeclarationSyntax Declaration)> NonPartialTypes(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FindNonPartialDeclaration(current, cancellationToken) is { } declaration)
            {
                yield return (current, declaration);
            }
        }
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

    /// <summary>The full metadata name (<c>MyApp.Outer+InboxCheck</c>).</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var typePart = type.Name;
        var outermost = type;
        for (var current = type.ContainingType; current is not null; current = current.ContainingType)
        {
            typePart = current.Name + "+" + typePart;
            outermost = current;
        }

        var namespaceParts = NamespaceParts(outermost.ContainingNamespace);
        return namespaceParts.Count == 0 ? typePart : string.Join(".", namespaceParts) + "." + typePart;
    }

    /// <summary>The names of a namespace and the namespaces containing it, outermost first; empty for the global namespace.</summary>
    public static List<string> NamespaceParts(INamespaceSymbol? ns)
    {
        var parts = new List<string>();
        for (var current = ns; current is not null && !current.IsGlobalNamespace; current = current.ContainingNamespace)
        {
            parts.Add(current.Name);
        }

        parts.Reverse();
        return parts;
    }

    private static TaskProblem? FindMissingKind(INamedTypeSymbol type)
    {
        // A generic class cannot be a session task (SKND0009), so asking for a kind would mislead.
        if (!RuntimeTypes.IsAgentTask(type)
            || !IsConcreteClass(type)
            || IsInGenericContext(type, out _)
            || HasUnresolvedKindAttribute(type)
            || FirstSourceLocation(type) is not { SourceTree: { } tree } location)
        {
            return null;
        }

        var note = FindKindedBase(type) is { } found
            ? $" (kinds are not inherited: its base class '{SymbolDisplay.Name(found.Base)}' has {found.Kind.Bracketed}, '{SymbolDisplay.Name(type)}' needs its own)"
            : string.Empty;
        return new TaskProblem(DiagnosticDescriptors.MissingSessionKind, type, tree, location.SourceSpan, ImmutableArray.Create(SymbolDisplay.Name(type), note));
    }

    /// <summary>SKND0004 on the task and on each containing type with a declaration that is not partial.</summary>
    private static void AddPartialProblems(ImmutableArray<TaskProblem>.Builder problems, INamedTypeSymbol type, string name, CancellationToken cancellationToken)
    {
        foreach (var (current, declaration) in NonPartialTypes(type, cancellationToken))
        {
            var reason = SymbolEqualityComparer.Default.Equals(current, type)
                ? "so that the SessionKinds generator can complete it"
                : $"because it contains the session task '{name}'";
            Add(problems, DiagnosticDescriptors.TaskNotPartial, current, declaration.Identifier.GetLocation(), null, SymbolDisplay.Name(current), reason);
        }
    }

    private static TypeDeclarationSyntax? FindNonPartialDeclaration(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return declaration;
            }
        }

        return null;
    }

    /// <summary>Why a task the user can fix cannot be completed (SKND0011), or <see langword="null"/>.</summary>
    private static string? WhyNotCompletable(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
            {
                var where = SymbolEqualityComparer.Default.Equals(current, type) ? "is file-local" : $"is nested in the file-local type '{SymbolDisplay.Name(current)}'";
                return $"{where}, so the generator cannot complete it from a file of its own and it could not be started; remove the 'file' modifier (use 'internal' to keep it in this assembly)";
            }
        }

        return string.Equals(MetadataName(type), RegistryMetadataName, StringComparison.OrdinalIgnoreCase)
            ? $"has the name of the registry the generator writes ({RegistryMetadataName}), so it cannot be completed; rename it"
            : null;
    }

    /// <summary>
    /// Whether a generated partial declaration in another file can complete the class (partial is SKND0004's business):
    /// it and every containing type are declared in source and not file-local, and the containers are classes, structs
    /// or interfaces, which a partial declaration can repeat.
    /// </summary>
    private static bool CanBeCompletedFromAnotherFile(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal
                || current.DeclaringSyntaxReferences.IsEmpty
                || current.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Reads <c>[HeartbeatSession]</c>: SKND0006 for each setting out of range, the settings when all are valid (defaults
    /// from the attribute's own constants), and the ring file the task writes when that name is valid.
    /// </summary>
    private static HeartbeatSpec? ReadHeartbeat(
        INamedTypeSymbol type,
        KindAttributeUsage usage,
        string name,
        ImmutableArray<TaskProblem>.Builder problems,
        out RingFileClaim? ring,
        CancellationToken cancellationToken)
    {
        ring = null;
        var attributeClass = usage.Data.AttributeClass!;
        var ringSize = DefaultConstant(attributeClass, "DefaultRingSize", AgentFileNameRules.DefaultRingSize);
        var ackMaxChars = DefaultConstant(attributeClass, "DefaultAckMaxChars", AgentFileNameRules.DefaultAckMaxChars);
        string? ringFile = DefaultConstant(attributeClass, "DefaultRingFile", AgentFileNameRules.DefaultRingFile);
        Location? ringFileLocation = null;
        var valid = true;
        AttributeSyntax? attribute = null;
        var everySeconds = ScheduleRules.DefaultEverySeconds;
        int activeStart = -1, activeEnd = 0;
        var timeZone = DefaultConstant(attributeClass, "DefaultTimeZone", ScheduleRules.DefaultTimeZone);

        foreach (var named in usage.Data.NamedArguments)
        {
            var value = named.Value;
            if (value.Kind == TypedConstantKind.Error)
            {
                valid = false; // the compiler reports the argument
                continue;
            }

            string? problem = null;
            var descriptor = DiagnosticDescriptors.InvalidHeartbeatSetting;
            string? suggestion = null;
            switch (named.Key)
            {
                case EveryName when value.Kind == TypedConstantKind.Primitive || value.IsNull:
                    if (!ScheduleRules.TryParseEvery(value.Value as string, out everySeconds, out problem, out suggestion))
                    {
                        descriptor = DiagnosticDescriptors.InvalidHeartbeatInterval;
                    }

                    break;
                case ActiveHoursName when value.Kind == TypedConstantKind.Primitive || value.IsNull:
                    if (value.Value is not string window)
                    {
                        activeStart = -1; // null: all day
                    }
                    else if (!ScheduleRules.TryParseActiveHours(window, out activeStart, out activeEnd, out problem, out suggestion))
                    {
                        descriptor = DiagnosticDescriptors.InvalidActiveHours;
                    }
                    else if (activeStart == activeEnd)
                    {
                        attribute ??= usage.GetSyntax(cancellationToken);
                        Add(problems, DiagnosticDescriptors.ScheduleNeverFires, type, FindNamedArgument(attribute, named.Key)?.GetLocation(), null, name,
                            $"its active hours \"{window}\" start and end at the same time, so the window never opens; widen it, e.g. \"08:00-22:00\", leave ActiveHours out for all day, or write Every = \"0m\" to disable the heartbeat on purpose");
                    }

                    break;
                case TimeZoneName when value.Kind == TypedConstantKind.Primitive || value.IsNull:
                    timeZone = value.Value as string ?? string.Empty;
                    if (!ScheduleRules.IsKnownTimeZone(value.Value as string, out problem, out suggestion))
                    {
                        descriptor = DiagnosticDescriptors.UnknownTimeZone;
                    }

                    break;
                case RingSizeName when value.Value is int size:
                    ringSize = size;
                    if (size < AgentFileNameRules.MinRingSize || size > AgentFileNameRules.MaxRingSize)
                    {
                        problem = $"RingSize = {size} is out of range; use a value from {AgentFileNameRules.MinRingSize} to {AgentFileNameRules.MaxRingSize} (how many heartbeat results the ring keeps, default {AgentFileNameRules.DefaultRingSize})";
                    }

                    break;
                case AckMaxCharsName when value.Value is int max:
                    ackMaxChars = max;
                    if (max < AgentFileNameRules.MinAckMaxChars)
                    {
                        problem = $"AckMaxChars = {max} is out of range; use {AgentFileNameRules.MinAckMaxChars} or more (how much text may remain beside HEARTBEAT_OK, default {AgentFileNameRules.DefaultAckMaxChars})";
                    }

                    break;
                case RingFileName when value.Kind == TypedConstantKind.Primitive || value.IsNull:
                    ringFile = value.Value as string;
                    attribute ??= usage.GetSyntax(cancellationToken);
                    ringFileLocation = FindNamedArgument(attribute, RingFileName)?.GetLocation();
                    if (AgentFileNameRules.FindFileNameProblem(ringFile) is { } reason)
                    {
                        problem = $"RingFile {(ringFile is null ? "null" : "\"" + AgentFileNameRules.Printable(ringFile) + "\"")} cannot be used: {reason}; use a plain file name inside the agent folder, e.g. \"{AgentFileNameRules.SuggestRingFile(type.Name)}\"";
                    }

                    break;
                default:
                    valid = false; // a value the compiler could not convert: nothing sensible to emit
                    continue;
            }

            if (problem is not null)
            {
                valid = false;
                attribute ??= usage.GetSyntax(cancellationToken);
                if (FindNamedArgument(attribute, named.Key) is { } argument)
                {
                    AddSettingProblem(problems, descriptor, type, argument, name, usage.Info, problem, suggestion);
                }
            }
        }

        if (ringFile is not null && AgentFileNameRules.FindFileNameProblem(ringFile) is null
            && (ringFileLocation ?? IdentifierOf(type, attribute ?? usage.GetSyntax(cancellationToken))) is { SourceTree: { } tree } location)
        {
            ring = new RingFileClaim(ringFile, tree, location.SourceSpan);
        }

        // The same rules as the runtime (src/Shared): a spec the generator bakes in is accepted at run time.
        return valid && AgentFileNameRules.FindHeartbeatSettingsProblem(ringSize, ackMaxChars, ringFile) is null
            ? new HeartbeatSpec(ringSize, ackMaxChars, ringFile!, new HeartbeatScheduleSpec(everySeconds, activeStart, activeEnd, timeZone))
            : null;
    }

    /// <summary>Reads <c>[CronSession]</c>: SKND0005 when the schedule is missing or does not parse; the schedule when it does.</summary>
    private static string? ReadSchedule(INamedTypeSymbol type, KindAttributeUsage usage, string name, ImmutableArray<TaskProblem>.Builder problems, out string? timeZone, CancellationToken cancellationToken)
    {
        var attribute = usage.GetSyntax(cancellationToken);
        timeZone = ScheduleRules.DefaultTimeZone;
        foreach (var named in usage.Data.NamedArguments)
        {
            if (named.Key == TimeZoneName && (named.Value.Kind == TypedConstantKind.Primitive || named.Value.IsNull))
            {
                timeZone = named.Value.Value as string;
                if (!ScheduleRules.IsKnownTimeZone(timeZone, out var zoneProblem, out var suggestion))
                {
                    timeZone = null;
                    if (FindNamedArgument(attribute, TimeZoneName) is { } zoneArgument)
                    {
                        AddSettingProblem(problems, DiagnosticDescriptors.UnknownTimeZone, type, zoneArgument, name, usage.Info, zoneProblem!, suggestion);
                    }
                }
            }
            else if (named.Key == TimeZoneName)
            {
                timeZone = null; // the compiler reports the argument
            }
        }

        var argument = FindScheduleArgument(attribute);
        if (attribute is not null && argument is null)
        {
            // [CronSession] or [CronSession()]: the compiler also reports CS7036; say what to write.
            Add(problems, DiagnosticDescriptors.InvalidCronSchedule, type, attribute.GetLocation(), null, name,
                "the schedule is missing; pass one, e.g. [CronSession(\"0 7 * * *\")] for every day at 07:00 UTC");
            return null;
        }

        // Only a constant string (or null) can be judged; anything else is already a compiler error.
        var data = usage.Data;
        if (data.AttributeConstructor is null
            || data.ConstructorArguments.Length != 1
            || data.ConstructorArguments[0].Kind != TypedConstantKind.Primitive
            || data.ConstructorArguments[0].Value is not (null or string))
        {
            return null;
        }

        var schedule = data.ConstructorArguments[0].Value as string;
        switch (CronSchedules.Check(schedule, out var error))
        {
            case CronScheduleCheck.Valid:
                if (!CronSchedules.CanFire(schedule!) && argument is not null)
                {
                    Add(problems, DiagnosticDescriptors.ScheduleNeverFires, type, argument.GetLocation(), null, name,
                        $"its schedule \"{schedule}\" matches no date (the day of the month never occurs in the months it names), so it never fires; write a day that occurs in the months it names, e.g. \"0 0 28 2 *\" or \"0 0 L 2 *\" for the last day of February");
                }

                return schedule;
            case CronScheduleCheck.ParserUnavailable:
                // The cron parser cannot be loaded in this compiler host (a broken package): the schedule cannot be
                // judged here, so the task is completed and the runtime parses the schedule again at start-up.
                return string.IsNullOrWhiteSpace(schedule) ? null : schedule;
            default:
                if (argument is not null)
                {
                    Add(problems, DiagnosticDescriptors.InvalidCronSchedule, type, argument.GetLocation(), null, name, DescribeCronError(schedule, error));
                }

                return null;
        }
    }

    private static string DescribeCronError(string? schedule, string? error)
    {
        var reason = error ?? "it does not parse";
        if (schedule is null || schedule.Trim().Length == 0)
        {
            return reason;
        }

        return $"{reason} in \"{schedule}\"; write five fields (minute hour day-of-month month day-of-week), e.g. \"0 7 * * *\", or a macro such as \"@daily\"";
    }

    /// <summary>The positional schedule argument, or <c>schedule: "..."</c>; <see langword="null"/> when there is none.</summary>
    private static AttributeArgumentSyntax? FindScheduleArgument(AttributeSyntax? attribute)
    {
        if (attribute?.ArgumentList is null)
        {
            return null;
        }

        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals is null)
            {
                return argument;
            }
        }

        return null;
    }

    private static AttributeArgumentSyntax? FindNamedArgument(AttributeSyntax? attribute, string name)
    {
        if (attribute?.ArgumentList is null)
        {
            return null;
        }

        AttributeArgumentSyntax? found = null;
        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
            {
                found = argument; // the last assignment wins, as in the attribute data
            }
        }

        return found;
    }

    /// <summary>A settings problem on its argument; a fix's suggestion travels with it when the argument is a string literal the fix can replace.</summary>
    private static void AddSettingProblem(
        ImmutableArray<TaskProblem>.Builder problems,
        DiagnosticDescriptor descriptor,
        INamedTypeSymbol type,
        AttributeArgumentSyntax argument,
        string name,
        SessionKindInfo kind,
        string problem,
        string? suggestion)
    {
        var properties = suggestion is not null && argument.Expression.IsKind(SyntaxKind.StringLiteralExpression)
            ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.Suggestion, suggestion)
            : null;
        if (descriptor == DiagnosticDescriptors.UnknownTimeZone)
        {
            Add(problems, descriptor, type, argument.GetLocation(), properties, name, kind.Bracketed, problem);
        }
        else
        {
            Add(problems, descriptor, type, argument.GetLocation(), properties, name, problem);
        }
    }

    private static bool HasError(ImmutableArray<TaskProblem>.Builder problems)
    {
        foreach (var problem in problems)
        {
            if (problem.Descriptor.DefaultSeverity == DiagnosticSeverity.Error)
            {
                return true;
            }
        }

        return false;
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

    private static Location? FirstSourceLocation(ISymbol symbol)
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

    private static void Add(
        ImmutableArray<TaskProblem>.Builder problems,
        DiagnosticDescriptor descriptor,
        INamedTypeSymbol owner,
        Location? location,
        ImmutableDictionary<string, string?>? properties,
        params string[] arguments)
    {
        if (location is { SourceTree: { } tree })
        {
            problems.Add(new TaskProblem(descriptor, owner, tree, location.SourceSpan, ImmutableArray.Create(arguments), properties));
        }
    }

    private static string JoinKindNames(ImmutableArray<KindAttributeUsage> kinds)
    {
        var names = new string[kinds.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = kinds[i].Info.KindName;
        }

        return string.Join(",", names);
    }

    private static string JoinBracketed(ImmutableArray<KindAttributeUsage> kinds)
    {
        var names = new string[kinds.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = kinds[i].Info.Bracketed;
        }

        return string.Join(", ", names);
    }
}
