namespace SessionKinds;

/// <summary>Settings of a <see cref="FileSessionStore"/>.</summary>
public sealed class FileSessionStoreOptions : SessionStoreOptions
{
    /// <summary>The default <see cref="RotateAtBytes"/>: 10 MB.</summary>
    public const long DefaultRotateAtBytes = 10L * 1024 * 1024;

    /// <summary>The default <see cref="EntriesKeptAfterRotation"/>.</summary>
    public const int DefaultEntriesKeptAfterRotation = 100;

    /// <summary>The default <see cref="ArchivesToKeep"/>.</summary>
    public const int DefaultArchivesToKeep = 10;

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
    /// How long a write waits for the agent folder's lock before it fails with <see cref="SessionStoreLockTimeoutException"/>
    /// (default 30 s, on the real clock, not <see cref="SessionStoreOptions.Time"/>). A lock held by a process that died is
    /// released by the operating system at once, so this only bounds waiting for live writers.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected internal override void Validate()
    {
        base.Validate();
        ThrowIfBelowOne(RotateAtBytes, nameof(RotateAtBytes));
        ThrowIfBelowOne(EntriesKeptAfterRotation, nameof(EntriesKeptAfterRotation));
        ThrowIfBelowOne(ArchivesToKeep, nameof(ArchivesToKeep));
        if (LockTimeout < TimeSpan.Zero || LockTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException("options", LockTimeout, $"{nameof(FileSessionStoreOptions)}.{nameof(LockTimeout)} must be between zero and {int.MaxValue} ms.");
        }
    }

    /// <summary>A copy, so later changes to the caller's instance do not reach an open store.</summary>
    internal FileSessionStoreOptions Snapshot() => (FileSessionStoreOptions)MemberwiseClone();
}
