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
/// <param name="HidesInheritedRingAccessor">A base type already has an accessible <c>OpenHeartbeatRing(AgentStore)</c> (a heartbeat task derived from another one): the generated accessor is declared <c>new</c>.</param>
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
    bool HidesInheritedRingAccessor,
    bool IsObsoleteError)
{
    /// <summary>The task's <c>global::</c>-qualified C# name, derived from the fields above (not part of equality).</summary>
    public string FullyQualifiedName
    {
        get
        {
            var builder = new System.Text.StringBuilder("global::");
            if (Namespace.Length > 0)
            {
                builder.Append(Namespace).Append('.');
            }

            foreach (var containing in ContainingTypes)
            {
                builder.Append(containing.Name).Append('.');
            }

            return builder.Append(Name).ToString();
        }
    }
}

/// <summary>A type that contains a task class: its modifiers that every partial declaration must repeat, its keyword and its name.</summary>
/// <param name="Modifiers">Modifiers written before <c>partial</c> (<c>readonly ref</c>, <c>ref</c>, <c>readonly</c>) or empty.</param>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The type's simple name as a C# identifier (keywords escaped).</param>
internal readonly record struct ContainingTypeSpec(string Modifiers, string Keyword, string Name);

/// <summary>The settings of a heartbeat task, as written in its <c>[HeartbeatSession]</c> attribute (defaults filled in).</summary>
internal readonly record struct HeartbeatSpec(int RingSize, int AckMaxChars, string RingFile);

/// <summary>The registry of every task of the assembly: the tasks' <c>global::</c>-qualified names, sorted ordinally.</summary>
internal readonly record struct RegistrySpec(EquatableArray<string> TaskTypes);
