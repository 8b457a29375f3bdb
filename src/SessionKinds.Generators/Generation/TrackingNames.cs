namespace SessionKinds.Generators.Generation;

/// <summary>
/// The names of the generator's pipeline steps (<c>WithTrackingName</c>), so tests can assert what each step did on
/// a second run: <c>Cached</c>, <c>Unchanged</c>, <c>Modified</c> or <c>New</c>. Every kind's pipeline is built by the
/// same loop over the kinds table, so its steps share these names: adding a kind adds no name.
/// </summary>
internal static class TrackingNames
{
    /// <summary>The transform of every <c>ForAttributeWithMetadataName</c>: a task's spec, or null for a class the generator skips.</summary>
    public const string Tasks = nameof(Tasks);

    /// <summary>The tasks the generator completes (skipped ones filtered out); each feeds one source output.</summary>
    public const string CompletedTasks = nameof(CompletedTasks);

    /// <summary>How the registry reaches each task (its name and accessor only), so a task's settings never touch the registry.</summary>
    public const string RegistryEntries = nameof(RegistryEntries);

    /// <summary>The sorted registry model (<see cref="Model.RegistrySpec"/>).</summary>
    public const string Registry = nameof(Registry);

    /// <summary>Whether the compilation references SessionKinds.Hosting, and the registry has tasks: decides the generated <c>AddGeneratedTasks()</c>.</summary>
    public const string Hosting = nameof(Hosting);
}
