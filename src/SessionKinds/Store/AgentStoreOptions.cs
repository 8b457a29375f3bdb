namespace SessionKinds;

/// <summary>Settings of an <see cref="AgentStore"/>. The store copies them when it is created.</summary>
public sealed class AgentStoreOptions
{
    /// <summary>The default <see cref="RotateAtBytes"/>: 10 MB.</summary>
    public const long DefaultRotateAtBytes = 10L * 1024 * 1024;

    /// <summary>The default <see cref="EntriesKeptAfterRotation"/>.</summary>
    public const int DefaultEntriesKeptAfterRotation = 100;

    /// <summary>The default <see cref="ArchivesToKeep"/>.</summary>
    public const int DefaultArchivesToKeep = 10;

    /// <summary>The clock for every timestamp the store writes (entries, transcripts, heartbeat state and ring, archive names).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>
    /// When a rewrite of <c>sessions.json</c> would be larger than this many bytes, the whole store is archived to
    /// <c>sessions-&lt;timestamp&gt;.json.gz</c> and the live file keeps only the <see cref="EntriesKeptAfterRotation"/>
    /// most recently updated entries. Default 10 MB; at least 1.
    /// </summary>
    public long RotateAtBytes { get; set; } = DefaultRotateAtBytes;

    /// <summary>How many of the most recently updated entries the live <c>sessions.json</c> keeps after a rotation (default 100; at least 1).</summary>
    public int EntriesKeptAfterRotation { get; set; } = DefaultEntriesKeptAfterRotation;

    /// <summary>How many <c>sessions-*.json.gz</c> archives are kept; older ones are deleted after each rotation (default 10; at least 1).</summary>
    public int ArchivesToKeep { get; set; } = DefaultArchivesToKeep;

    /// <summary>
    /// How long a write waits for the agent folder lock before it fails with <see cref="AgentStoreLockTimeoutException"/>
    /// (default 30 s, measured on the real clock, not <see cref="Time"/>). A lock held by a process that died is
    /// released by the operating system at once, so this only bounds waiting for live writers.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal AgentStoreOptions Snapshot()
    {
        if (Time is null)
        {
            throw new ArgumentException("AgentStoreOptions.Time is null: leave it unset for the system clock or pass a TimeProvider.", "options");
        }

        ThrowIfBelowOne(RotateAtBytes, nameof(RotateAtBytes));
        ThrowIfBelowOne(EntriesKeptAfterRotation, nameof(EntriesKeptAfterRotation));
        ThrowIfBelowOne(ArchivesToKeep, nameof(ArchivesToKeep));
        if (LockTimeout < TimeSpan.Zero || LockTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException("options", LockTimeout, $"AgentStoreOptions.{nameof(LockTimeout)} must be between zero and {int.MaxValue} ms.");
        }

        return new AgentStoreOptions
        {
            Time = Time,
            RotateAtBytes = RotateAtBytes,
            EntriesKeptAfterRotation = EntriesKeptAfterRotation,
            ArchivesToKeep = ArchivesToKeep,
            LockTimeout = LockTimeout,
        };
    }

    private static void ThrowIfBelowOne(long value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException("options", value, $"AgentStoreOptions.{name} must be at least 1.");
        }
    }
}
