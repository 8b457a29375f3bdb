using Microsoft.CodeAnalysis;

namespace SessionKinds.Generators.Diagnostics;

/// <summary>Every diagnostic SessionKinds reports. Messages name the type and say what to do.</summary>
internal static class DiagnosticDescriptors
{
    /// <summary>The category of every SessionKinds diagnostic (<c>dotnet_analyzer_diagnostic.category-SessionKinds.severity</c>).</summary>
    public const string Category = "SessionKinds";

    /// <summary>The documentation page of a diagnostic: <c>docs/diagnostics/&lt;id&gt;.md</c> in the repository.</summary>
    public static string HelpLink(string id) => "https://github.com/sessionkinds/sessionkinds/blob/main/docs/diagnostics/" + id + ".md";

    /// <summary>SKND0001. {0}: the task; {1}: empty, or a note about a kinded base class.</summary>
    public static readonly DiagnosticDescriptor MissingSessionKind = new(
        DiagnosticIds.MissingSessionKind,
        title: "Agent task has no session kind",
        messageFormat: "'{0}' implements IAgentTask but has no session kind attribute{1}; add " + Tasks.SessionKindTable.MentionList + " to '{0}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every non-abstract class that implements IAgentTask needs exactly one session kind attribute: the kind decides what its sessions persist and where. Kinds are not inherited: a class deriving from a task needs its own attribute.",
        helpLinkUri: HelpLink(DiagnosticIds.MissingSessionKind));

    /// <summary>SKND0002. {0}: what has no kind (an argument or a type); {1}: why and what to do.</summary>
    public static readonly DiagnosticDescriptor SessionWithoutKind = new(
        DiagnosticIds.SessionWithoutKind,
        title: "Session started without a kind",
        messageFormat: "{0} has no session kind: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A session needs a kind. SessionKind.Unspecified, default, or a cast number that is not a defined kind must not be passed to SessionKinds APIs, and a task type without a session kind attribute cannot be used where a session task is expected.",
        helpLinkUri: HelpLink(DiagnosticIds.SessionWithoutKind));

    /// <summary>SKND0003. {0}: the type; {1}: the attributes it carries.</summary>
    public static readonly DiagnosticDescriptor MultipleSessionKinds = new(
        DiagnosticIds.MultipleSessionKinds,
        title: "Type has more than one session kind",
        messageFormat: "'{0}' has more than one session kind attribute ({1}); keep exactly one",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A session task has exactly one kind. Remove every session kind attribute but one.",
        helpLinkUri: HelpLink(DiagnosticIds.MultipleSessionKinds));

    /// <summary>SKND0004. {0}: the type that is not partial; {1}: why it must be.</summary>
    public static readonly DiagnosticDescriptor TaskNotPartial = new(
        DiagnosticIds.TaskNotPartial,
        title: "Session task is not partial",
        messageFormat: "'{0}' must be partial {1}; add the 'partial' modifier to every declaration of '{0}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The SessionKinds generator completes every session task in a second part of the class, so the task and every type that contains it must be declared partial.",
        helpLinkUri: HelpLink(DiagnosticIds.TaskNotPartial));

    /// <summary>SKND0005. {0}: the task; {1}: the parser's reason and what to write.</summary>
    public static readonly DiagnosticDescriptor InvalidCronSchedule = new(
        DiagnosticIds.InvalidCronSchedule,
        title: "Cron schedule is missing or invalid",
        messageFormat: "The [CronSession] schedule of '{0}' is invalid: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A cron task needs a five-field schedule (minute hour day-of-month month day-of-week) or a macro such as @daily. It is checked with the same parser the runtime uses.",
        helpLinkUri: HelpLink(DiagnosticIds.InvalidCronSchedule));

    /// <summary>SKND0006. {0}: the task; {1}: the setting, its value and the valid range.</summary>
    public static readonly DiagnosticDescriptor InvalidHeartbeatSetting = new(
        DiagnosticIds.InvalidHeartbeatSetting,
        title: "Heartbeat setting is out of range",
        messageFormat: "The [HeartbeatSession] settings of '{0}' are invalid: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "RingSize must be between 1 and 10000, AckMaxChars must be 0 or more, and RingFile must be a plain file name inside the agent folder.",
        helpLinkUri: HelpLink(DiagnosticIds.InvalidHeartbeatSetting));

    /// <summary>SKND0007. {0}: the type; {1}: its session kind attribute(s).</summary>
    public static readonly DiagnosticDescriptor KindOnNonTask = new(
        DiagnosticIds.KindOnNonTask,
        title: "Session kind attribute on a type that is not an agent task",
        messageFormat: "'{0}' has {1} but does not implement IAgentTask, so the attribute has no effect; implement IAgentTask or remove the attribute",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Session kind attributes only act on classes that implement IAgentTask. On any other type the generator ignores them.",
        helpLinkUri: HelpLink(DiagnosticIds.KindOnNonTask));

    /// <summary>SKND0008. {0}: the task; {1}: the ring file; {2}: the other task(s); {3}: a suggested file name.</summary>
    public static readonly DiagnosticDescriptor SharedHeartbeatRing = new(
        DiagnosticIds.SharedHeartbeatRing,
        title: "Heartbeat tasks share a ring file",
        messageFormat: "'{0}' writes the heartbeat ring file \"{1}\", which {2} also writes, so their histories would mix; give '{0}' its own file, for example [HeartbeatSession(RingFile = \"{3}\")]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every heartbeat task keeps its history in its own ring file inside the agent folder; the runtime refuses two tasks that share one. Ring file names are compared ignoring case, as on Windows and macOS file systems.",
        helpLinkUri: HelpLink(DiagnosticIds.SharedHeartbeatRing),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>SKND0009. {0}: the task; {1}: what makes it generic.</summary>
    public static readonly DiagnosticDescriptor GenericTask = new(
        DiagnosticIds.GenericTask,
        title: "Session task is generic",
        messageFormat: "'{0}' {1}, but session tasks cannot be generic and the generator skips it; remove the type parameters or move the task out of the generic type",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator gives every session task one static kind, route and ring; a generic class (or a class nested in a generic type) would need one per type argument, so it is not supported.",
        helpLinkUri: HelpLink(DiagnosticIds.GenericTask));

    /// <summary>SKND0010. {0}: the abstract class; {1}: its session kind attribute(s).</summary>
    public static readonly DiagnosticDescriptor KindOnAbstractClass = new(
        DiagnosticIds.KindOnAbstractClass,
        title: "Session kind attribute on an abstract class",
        messageFormat: "'{0}' is abstract, so {1} has no effect: kinds are not inherited; put the attribute on each concrete task that derives from '{0}' and remove it here",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator completes concrete task classes only: an abstract class cannot run, and kinds are not inherited, so a session kind attribute on an abstract class gives no class a kind. Every concrete task that derives from it needs its own attribute (SKND0001 says so).",
        helpLinkUri: HelpLink(DiagnosticIds.KindOnAbstractClass));

    /// <summary>SKND0011. {0}: the task; {1}: why it cannot be completed and what to do.</summary>
    public static readonly DiagnosticDescriptor TaskCannotBeCompleted = new(
        DiagnosticIds.TaskCannotBeCompleted,
        title: "Session task cannot be completed by the generator",
        messageFormat: "'{0}' {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator completes a task in a partial declaration of its own file and lists it in SessionKinds.Generated.SessionTasks. A file-local task (or a task nested in a file-local type) can only be declared in one file, and a task with the registry's own name would collide with it, so such a task is skipped and could not be started.",
        helpLinkUri: HelpLink(DiagnosticIds.TaskCannotBeCompleted));

    /// <summary>SKND0012. {0}: the task; {1}: what is wrong with <c>Every</c> and what to write.</summary>
    public static readonly DiagnosticDescriptor InvalidHeartbeatInterval = new(
        DiagnosticIds.InvalidHeartbeatInterval,
        title: "Heartbeat interval is not a valid duration",
        messageFormat: "The [HeartbeatSession] interval of '{0}' is invalid: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every is a duration of one or more parts <number><unit> with the units s, m, h and d (\"30m\", \"1h\", \"90s\", \"1h30m\"); a bare number is minutes; \"0m\" disables the heartbeat; otherwise it is from 10 seconds to 7 days. The runtime applies the same rule.",
        helpLinkUri: HelpLink(DiagnosticIds.InvalidHeartbeatInterval));

    /// <summary>SKND0013. {0}: the task; {1}: what is wrong with <c>ActiveHours</c> and what to write.</summary>
    public static readonly DiagnosticDescriptor InvalidActiveHours = new(
        DiagnosticIds.InvalidActiveHours,
        title: "Heartbeat active hours are not a valid window",
        messageFormat: "The [HeartbeatSession] active hours of '{0}' are invalid: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "ActiveHours is HH:MM-HH:MM in the task's time zone, with two-digit hours 00-23 and minutes 00-59; the start is inclusive and the end exclusive, 24:00 is allowed as the end, and a window may wrap midnight (22:00-06:00). The runtime applies the same rule.",
        helpLinkUri: HelpLink(DiagnosticIds.InvalidActiveHours));

    /// <summary>SKND0014. {0}: the task; {1}: the attribute; {2}: what is wrong and what to write.</summary>
    public static readonly DiagnosticDescriptor UnknownTimeZone = new(
        DiagnosticIds.UnknownTimeZone,
        title: "Time zone is not an IANA time zone id",
        messageFormat: "The {1} time zone of '{0}' is invalid: {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "TimeZone is an id of the IANA tz database such as Europe/Berlin, compared case-sensitively. The analyzer checks it against the list of tz database names it carries, so the verdict is the same on every build machine; the host resolves it again with TimeZoneInfo when it starts.",
        helpLinkUri: HelpLink(DiagnosticIds.UnknownTimeZone));

    /// <summary>SKND0015. {0}: the task; {1}: why it never runs and what to do.</summary>
    public static readonly DiagnosticDescriptor ScheduleNeverFires = new(
        DiagnosticIds.ScheduleNeverFires,
        title: "Schedule never fires",
        messageFormat: "'{0}' never runs: {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A cron schedule that no date matches (0 0 31 2 *) or active hours whose start equals their end give a task no occurrence at all, so a host never runs it.",
        helpLinkUri: HelpLink(DiagnosticIds.ScheduleNeverFires));

    /// <summary>SKND0016. {0}: the task; {1}: why the generated factory cannot create it and what to do.</summary>
    public static readonly DiagnosticDescriptor TaskCannotBeCreated = new(
        DiagnosticIds.TaskCannotBeCreated,
        title: "Scheduled task cannot be created from services",
        messageFormat: "'{0}' cannot be created from a service provider, so a host cannot run it: {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A host creates each heartbeat and cron task through the factory the generator writes: the public constructor marked [ActivatorUtilitiesConstructor], else the public one with the most parameters, each parameter a service. When there is no such constructor the factory throws and the host reports the task as failed.",
        helpLinkUri: HelpLink(DiagnosticIds.TaskCannotBeCreated));
}
