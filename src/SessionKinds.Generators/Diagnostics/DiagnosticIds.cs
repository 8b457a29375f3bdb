namespace SessionKinds.Generators.Diagnostics;

/// <summary>
/// The public diagnostic IDs (DESIGN §7). Users suppress them by these names in <c>.editorconfig</c> and
/// <c>#pragma</c>: never renumber or reuse one.
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>A non-abstract class implementing <c>IAgentTask</c> has no session kind attribute.</summary>
    public const string MissingSessionKind = "SKND0001";

    /// <summary>A session is started without a kind (an undefined <c>SessionKind</c> value, or a task type without a kind).</summary>
    public const string SessionWithoutKind = "SKND0002";

    /// <summary>A type carries more than one session kind attribute.</summary>
    public const string MultipleSessionKinds = "SKND0003";

    /// <summary>A session task, or a type containing one, is not <c>partial</c>.</summary>
    public const string TaskNotPartial = "SKND0004";

    /// <summary>A <c>[CronSession]</c> schedule is missing or does not parse.</summary>
    public const string InvalidCronSchedule = "SKND0005";

    /// <summary>A <c>[HeartbeatSession]</c> setting is out of range.</summary>
    public const string InvalidHeartbeatSetting = "SKND0006";

    /// <summary>A session kind attribute on a type that does not implement <c>IAgentTask</c>.</summary>
    public const string KindOnNonTask = "SKND0007";

    /// <summary>Two heartbeat tasks of one compilation write the same ring file.</summary>
    public const string SharedHeartbeatRing = "SKND0008";

    /// <summary>A session kind attribute on a generic class or on a class nested in a generic type.</summary>
    public const string GenericTask = "SKND0009";
}
