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

    /// <summary>A session kind attribute on an abstract class: kinds are not inherited, so it has no effect.</summary>
    public const string KindOnAbstractClass = "SKND0010";

    /// <summary>A session task the generator cannot complete from a file of its own: it is file-local, or it has the registry's name.</summary>
    public const string TaskCannotBeCompleted = "SKND0011";

    /// <summary>A <c>[HeartbeatSession]</c> interval (<c>Every</c>) is not a valid duration.</summary>
    public const string InvalidHeartbeatInterval = "SKND0012";

    /// <summary>A <c>[HeartbeatSession]</c> window (<c>ActiveHours</c>) is not <c>HH:MM-HH:MM</c>.</summary>
    public const string InvalidActiveHours = "SKND0013";

    /// <summary>A <c>TimeZone</c> is not an IANA time zone id.</summary>
    public const string UnknownTimeZone = "SKND0014";

    /// <summary>A schedule never fires: a cron schedule no date matches, or empty active hours.</summary>
    public const string ScheduleNeverFires = "SKND0015";

    /// <summary>A heartbeat or cron task has no constructor the generated factory can call from a service provider.</summary>
    public const string TaskCannotBeCreated = "SKND0016";
}
