namespace SessionKinds.Generators.Generation;

/// <summary>
/// The names of every step of the generator's pipeline (<c>WithTrackingName</c>), so tests can assert
/// what each step did on a second run: <c>Cached</c>, <c>Unchanged</c>, <c>Modified</c> or <c>New</c>.
/// </summary>
internal static class TrackingNames
{
    // One ForAttributeWithMetadataName per kind: the parsed spec, or null for a task the generator skips.
    public const string UserAttributes = nameof(UserAttributes);
    public const string HeartbeatAttributes = nameof(HeartbeatAttributes);
    public const string CronAttributes = nameof(CronAttributes);
    public const string SubagentAttributes = nameof(SubagentAttributes);

    // The tasks the generator completes (skipped ones filtered out); each feeds one source output.
    public const string UserTasks = nameof(UserTasks);
    public const string HeartbeatTasks = nameof(HeartbeatTasks);
    public const string CronTasks = nameof(CronTasks);
    public const string SubagentTasks = nameof(SubagentTasks);

    // The registry sees only each task's name, so a task's settings never touch it.
    public const string UserTaskNames = nameof(UserTaskNames);
    public const string HeartbeatTaskNames = nameof(HeartbeatTaskNames);
    public const string CronTaskNames = nameof(CronTaskNames);
    public const string SubagentTaskNames = nameof(SubagentTaskNames);

    public const string UserTaskNamesCollected = nameof(UserTaskNamesCollected);
    public const string HeartbeatTaskNamesCollected = nameof(HeartbeatTaskNamesCollected);
    public const string CronTaskNamesCollected = nameof(CronTaskNamesCollected);
    public const string SubagentTaskNamesCollected = nameof(SubagentTaskNamesCollected);

    public const string UserAndHeartbeatTaskNames = nameof(UserAndHeartbeatTaskNames);
    public const string UserHeartbeatAndCronTaskNames = nameof(UserHeartbeatAndCronTaskNames);
    public const string AllTaskNames = nameof(AllTaskNames);

    /// <summary>The sorted registry model (<see cref="Model.RegistrySpec"/>).</summary>
    public const string Registry = nameof(Registry);
}
