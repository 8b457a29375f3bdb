namespace SessionKinds;

/// <summary>Describes one session task: its name, kind and the settings of its attribute.</summary>
public sealed record SessionTaskInfo
{
    /// <summary>Creates a description; the generator emits one per task.</summary>
    /// <param name="name">The task's full type name, e.g. <c>MyAgent.InboxCheck</c>.</param>
    /// <param name="kind">The task's kind; never <see cref="SessionKind.Unspecified"/>.</param>
    /// <param name="heartbeat">The heartbeat settings, for heartbeat tasks only.</param>
    /// <param name="cronSchedule">The schedule text, for cron tasks only.</param>
    public SessionTaskInfo(string name, SessionKind kind, HeartbeatSettings? heartbeat = null, string? cronSchedule = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        SessionKindNames.ThrowIfNotDefined(kind, nameof(kind));
        Name = name;
        Kind = kind;
        Heartbeat = heartbeat;
        CronSchedule = cronSchedule;
    }

    /// <summary>The task's full type name.</summary>
    public string Name { get; }

    /// <summary>The task's kind.</summary>
    public SessionKind Kind { get; }

    /// <summary>The heartbeat settings of a heartbeat task, otherwise <see langword="null"/>.</summary>
    public HeartbeatSettings? Heartbeat { get; }

    /// <summary>The schedule of a cron task, otherwise <see langword="null"/>.</summary>
    public string? CronSchedule { get; }

    /// <summary>
    /// The parsed schedule of a cron task with its time zone (the generator sets it from the attribute), otherwise
    /// <see langword="null"/>. A host reads a cron task's occurrences from it.
    /// </summary>
    public CronSchedule? Cron { get; init; }
}

/// <summary>The settings of a heartbeat task (from <see cref="HeartbeatSessionAttribute"/>).</summary>
/// <param name="RingSize">How many entries the ring file keeps.</param>
/// <param name="AckMaxChars">How much text may remain beside the ack token for the reply to stay an ack.</param>
/// <param name="RingFile">The ring file name inside the agent folder.</param>
public sealed record HeartbeatSettings(int RingSize, int AckMaxChars, string RingFile)
{
    /// <summary>When a host runs the heartbeat (<c>Every</c>, <c>ActiveHours</c> and <c>TimeZone</c> of the attribute); every 30 minutes, all day, UTC unless set.</summary>
    public HeartbeatSchedule Schedule { get; init; } = HeartbeatSchedule.Default;
}
