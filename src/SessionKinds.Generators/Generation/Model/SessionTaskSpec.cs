namespace SessionKinds.Generators.Generation.Model;

/// <summary>
/// Everything the emitter needs to complete one attributed task class. Only strings, numbers, enums
/// and equatable collections: no symbols, syntax nodes, locations or compilations, so the incremental
/// pipeline can compare it by value and keep it cached across edits.
/// </summary>
/// <param name="Namespace">The containing namespace, keywords escaped (<c>MyApp.@event</c>); empty for the global namespace.</param>
/// <param name="ContainingTypes">The types the task is nested in, outermost first.</param>
/// <param name="Keyword">The task's declaration keyword: <c>class</c> or <c>record</c>.</param>
/// <param name="Name">The task's simple name as a C# identifier (keywords escaped).</param>
/// <param name="FullName">The task's full name as written in C#, unescaped (<c>MyApp.Outer.InboxCheck</c>); it becomes <c>SessionTaskInfo.Name</c>.</param>
/// <param name="HintName">
/// The generated file's name: the task's metadata name (<c>MyApp.Outer+InboxCheck.g.cs</c>), unique in the
/// assembly; when another type's name differs only by case, a <c>-</c> and a stable hash of the exact name
/// follow it (hint names are compared ignoring case, and <c>-</c> cannot occur in a C# type name).
/// </param>
/// <param name="Kind">The task's session kind.</param>
/// <param name="Heartbeat">The settings of a heartbeat task, otherwise <see langword="null"/>.</param>
/// <param name="CronSchedule">The schedule of a cron task, otherwise <see langword="null"/>.</param>
/// <param name="CronTimeZone">The IANA time zone of a cron task's schedule, otherwise <see langword="null"/>.</param>
/// <param name="Factory">How the generated factory creates the task from a service provider.</param>
/// <param name="HidesInheritedRingAccessor">A base type already has an accessible <c>OpenHeartbeatRing(SessionStore)</c> (a heartbeat task derived from another one): the generated accessor is declared <c>new</c>.</param>
/// <param name="IsObsoleteError">The task (or a type containing it) is <c>[Obsolete(..., error: true)]</c>: any use outside it is CS0619, so the registry leaves it out.</param>
internal readonly record struct SessionTaskSpec(
    string Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Keyword,
    string Name,
    string FullName,
    string HintName,
    SessionTaskKind Kind,
    HeartbeatSpec? Heartbeat,
    string? CronSchedule,
    string? CronTimeZone,
    FactorySpec Factory,
    bool HidesInheritedRingAccessor,
    bool IsObsoleteError)
{
    /// <summary>The task's <c>global::</c>-qualified C# name, derived from the fields above (not part of equality).</summary>
    public string FullyQualifiedName => Qualified(ContainingTypes.Count, Name);

    /// <summary>
    /// The name of the registration accessor generated in each containing type that hosts one
    /// (<see cref="ContainingTypeSpec.HostsRegistrationAccessor"/>): <c>SessionKindsRegistration</c> followed, for
    /// every type from the outermost container to the task, by <c>_</c>, the length of its name and the name
    /// (<c>SessionKindsRegistration_5Agent_4Chat</c>). The lengths make the name unique per task, so the accessors
    /// of two tasks in one container never collide (a name cannot start with a digit).
    /// </summary>
    public string RegistrationAccessorName
    {
        get
        {
            var builder = new System.Text.StringBuilder("SessionKindsRegistration");
            foreach (var containing in ContainingTypes)
            {
                AppendSegment(builder, containing.Name);
            }

            AppendSegment(builder, Name);
            return builder.ToString();

            static void AppendSegment(System.Text.StringBuilder builder, string identifier)
            {
                var name = identifier.TrimStart('@');
                builder.Append('_').Append(name.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(name);
            }
        }
    }

    /// <summary>
    /// How the registry lists this task: <see langword="null"/> for an <see cref="IsObsoleteError"/> task; otherwise
    /// through the outermost container that hosts a registration accessor, or directly when no container does.
    /// </summary>
    public RegistryEntrySpec? RegistryEntry
    {
        get
        {
            if (IsObsoleteError)
            {
                return null;
            }

            var host = NextAccessorHost(-1);
            return new RegistryEntrySpec(FullyQualifiedName, host < 0 ? null : QualifiedName(host + 1), host < 0 ? null : RegistrationAccessorName);
        }
    }

    /// <summary>The index of the first container after <paramref name="index"/> that hosts a registration accessor, or -1.</summary>
    public int NextAccessorHost(int index)
    {
        for (var i = index + 1; i < ContainingTypes.Count; i++)
        {
            if (ContainingTypes[i].HostsRegistrationAccessor)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The <c>global::</c>-qualified name of the first <paramref name="containingTypes"/> containing types (at least one).</summary>
    public string QualifiedName(int containingTypes) => Qualified(containingTypes, last: null);

    private string Qualified(int containingTypes, string? last)
    {
        var parts = new System.Collections.Generic.List<string>(containingTypes + 2);
        if (Namespace.Length > 0)
        {
            parts.Add(Namespace);
        }

        for (var i = 0; i < containingTypes; i++)
        {
            parts.Add(ContainingTypes[i].Name);
        }

        if (last is not null)
        {
            parts.Add(last);
        }

        return "global::" + string.Join(".", parts);
    }
}

/// <summary>A type that contains a task class: its modifiers that every partial declaration must repeat, its keyword and its name.</summary>
/// <param name="Modifiers">Modifiers written before <c>partial</c> (<c>static</c>, <c>readonly ref</c>, <c>ref</c>, <c>readonly</c>) or empty.</param>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The type's simple name as a C# identifier (keywords escaped).</param>
/// <param name="HostsRegistrationAccessor">
/// The next type inward (a container or the task) is not visible to the registry (<c>private</c>, <c>protected</c> or
/// <c>private protected</c>), so this type, which can see it, gets an internal static accessor that returns the task's
/// registration; the registry (or the accessor of an outer host) calls it.
/// </param>
internal readonly record struct ContainingTypeSpec(string Modifiers, string Keyword, string Name, bool HostsRegistrationAccessor = false);

/// <summary>The settings of a heartbeat task, as written in its <c>[HeartbeatSession]</c> attribute (defaults filled in).</summary>
internal readonly record struct HeartbeatSpec(int RingSize, int AckMaxChars, string RingFile, HeartbeatScheduleSpec Schedule);

/// <summary>A heartbeat's schedule as the rules accepted it (src/Shared/ScheduleRules.cs).</summary>
/// <param name="EverySeconds">The interval in seconds; 0 disables the heartbeat.</param>
/// <param name="ActiveStart">The first minute of the active hours, or -1 when the heartbeat may run all day.</param>
/// <param name="ActiveEnd">The first minute after the active hours (1440 for 24:00); unused without active hours.</param>
/// <param name="TimeZone">The IANA time zone id.</param>
internal readonly record struct HeartbeatScheduleSpec(long EverySeconds, int ActiveStart, int ActiveEnd, string TimeZone)
{
    /// <summary>Every 30 minutes, all day, UTC.</summary>
    public static HeartbeatScheduleSpec Default => new(ScheduleRules.DefaultEverySeconds, -1, 0, ScheduleRules.DefaultTimeZone);
}

/// <summary>The generated factory of a task: the constructor's parameters in order, or why there is no constructor to call.</summary>
/// <param name="Parameters">The parameters of the constructor the factory calls.</param>
/// <param name="Problem">Why the factory cannot create the task (it then throws with this reason), or <see langword="null"/>.</param>
internal readonly record struct FactorySpec(EquatableArray<FactoryParameterSpec> Parameters, string? Problem);

/// <summary>One constructor parameter resolved from the service provider.</summary>
/// <param name="Name">The parameter's name, as messages show it.</param>
/// <param name="ServiceType">The <c>global::</c>-qualified type for <c>typeof</c> (no nullable reference annotation).</param>
/// <param name="CastType">The <c>global::</c>-qualified parameter type the resolved object is cast to.</param>
/// <param name="TypeDisplay">The type as messages show it (<c>MyApp.IModel</c>).</param>
/// <param name="DefaultValue">The C# expression of the parameter's default value, or <see langword="null"/> when the service is required.</param>
/// <param name="ServiceKey">The C# expression of the <c>[FromKeyedServices]</c> key, or <see langword="null"/> for an unkeyed service.</param>
internal readonly record struct FactoryParameterSpec(string Name, string ServiceType, string CastType, string TypeDisplay, string? DefaultValue, string? ServiceKey);

/// <summary>How the registry reaches one task.</summary>
/// <param name="TaskType">The task's <c>global::</c>-qualified name; the registry is sorted by it.</param>
/// <param name="AccessorHost">The <c>global::</c>-qualified container whose accessor returns the registration, or <see langword="null"/> when the registry can name the task.</param>
/// <param name="AccessorName">The accessor's name, when there is a host.</param>
internal readonly record struct RegistryEntrySpec(string TaskType, string? AccessorHost, string? AccessorName);

/// <summary>The registry of every task of the assembly, sorted ordinally by task type.</summary>
internal readonly record struct RegistrySpec(EquatableArray<RegistryEntrySpec> Tasks);
