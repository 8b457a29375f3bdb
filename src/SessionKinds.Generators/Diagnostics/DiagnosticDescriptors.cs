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
        messageFormat: "'{0}' implements IAgentTask but has no session kind attribute{1}; add [UserSession], [HeartbeatSession], [CronSession(\"...\")] or [SubagentSession] to '{0}'",
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
}
