namespace SessionKinds.Tests.Engines;

/// <summary>
/// One store engine as the conformance suite (tests/SessionKinds.Tests/Conformance) and the writer child process
/// (tests/SessionKinds.WriterProcess) drive it. This file and the engines are compiled into both, so a new engine is one
/// class deriving from this one plus its line in <see cref="StoreEngines.Registered"/>.
/// </summary>
/// <remarks>
/// Implementing it: <see cref="CreateAgent"/> gives a test a fresh, empty agent of its own (a folder, or a new agent id
/// in a database under the test's work folder); everything else is on <see cref="StoreAgent"/>. Optional abilities are
/// declared by <see cref="Lacks"/>: the suite runs a capability's tests only for engines that have it, and
/// <c>EngineCatalogTests</c> fails unless every capability an engine lacks comes with a reason.
/// </remarks>
public abstract class StoreEngine
{
    /// <summary>The engine's name in the catalog and on the writer's command line: <c>file</c>, <c>sqlite</c>, …</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Creates a fresh, empty, isolated agent whose storage lives in (or is named after) <paramref name="workFolder"/>, a
    /// folder the test owns and deletes afterwards. Nothing is written until a store opens it.
    /// </summary>
    public abstract StoreAgent CreateAgent(string workFolder);

    /// <summary>The agent that <see cref="StoreAgent.Arguments"/> describe (used by the writer child process).</summary>
    public abstract StoreAgent OpenAgent(IReadOnlyList<string> arguments);

    /// <summary>
    /// <see langword="null"/> when the engine has <paramref name="capability"/>; otherwise why it cannot have it (shown
    /// by the catalog test). Engines must answer for every value, so a new capability is a decision, not a default.
    /// </summary>
    public abstract string? Lacks(StoreCapability capability);

    /// <summary>With <see cref="StoreCapability.CorruptStorage"/>: the parts of an agent's data that can be damaged, each with the data it holds.</summary>
    public virtual IReadOnlyList<StoragePart> CorruptibleParts => throw NotSupported(StoreCapability.CorruptStorage);

    /// <summary>With <see cref="StoreCapability.CommitFaults"/>: the steps of a commit a test can make fail, in commit order.</summary>
    public virtual IReadOnlyList<StoragePart> CommitSteps => throw NotSupported(StoreCapability.CommitFaults);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The error for a capability this engine does not have.</summary>
    protected internal NotSupportedException NotSupported(StoreCapability capability) =>
        new($"The {Name} engine does not have {capability}: {Lacks(capability) ?? "it claims to, but does not implement it"}.");
}

/// <summary>What an engine may be unable to let a test do from outside the store.</summary>
public enum StoreCapability
{
    /// <summary>
    /// Damage one part of the stored data as a broken disk or another tool would (<see cref="StoreEngine.CorruptibleParts"/>,
    /// <see cref="StoreAgent.CorruptAsync"/>), and check how the store reported it (<see cref="StoreAgent.CheckCorruptionReport"/>).
    /// </summary>
    CorruptStorage,

    /// <summary>Make one step of a commit fail (<see cref="StoreEngine.CommitSteps"/>, <see cref="StoreAgent.FailAt"/>).</summary>
    CommitFaults,
}

/// <summary>Settings every engine maps to its own options.</summary>
/// <param name="Time">The store's clock (a fake one in tests, the system clock in the writer child).</param>
public sealed record StoreSettings(TimeProvider Time)
{
    /// <summary><see cref="SessionStoreOptions.CronRunsToKeep"/>.</summary>
    public int CronRunsToKeep { get; init; } = SessionStoreOptions.DefaultCronRunsToKeep;

    /// <summary>How long a write waits for other writers before it fails (a file engine's lock timeout, a busy timeout).</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Engine-specific settings by name, as the writer child takes them on its command line (<c>name=value</c>); an engine
    /// throws <see cref="ArgumentException"/> for a name it does not know. The file engine knows <c>rotateAtBytes</c>,
    /// <c>entriesKeptAfterRotation</c> and <c>archivesToKeep</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> EngineSettings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// One agent's storage in one engine: stores open on it, and the test reaches behind them through the rest of this class
/// (as another process, another tool or a broken disk would).
/// </summary>
public abstract class StoreAgent : IAsyncDisposable
{
    /// <summary>The engine.</summary>
    public abstract StoreEngine Engine { get; }

    /// <summary>What the writer child process needs to reach this same agent (after the engine name on its command line).</summary>
    public abstract IReadOnlyList<string> Arguments { get; }

    /// <summary>Opens a new store on this agent; several may be open at once (like several processes). The caller disposes it.</summary>
    public abstract SessionStore Open(StoreSettings settings);

    /// <summary>
    /// Takes the engine's write lock (what serializes commits of this agent) as another writer would, waiting for it if
    /// needed; disposing the result releases it. While it is held, every commit on this agent waits.
    /// </summary>
    public abstract ValueTask<IAsyncDisposable> HoldWriteLockAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes the write lock only if it is free right now; <see langword="null"/> when another writer holds it.</summary>
    public abstract ValueTask<IAsyncDisposable?> TryHoldWriteLockNowAsync();

    /// <summary>
    /// Stores <paramref name="entryJson"/> under <paramref name="key"/> exactly as another tool would (no validation, every
    /// byte kept): a new key goes last, an existing key's value is replaced.
    /// </summary>
    public abstract ValueTask SeedEntryAsync(string key, string entryJson);

    /// <summary>Every stored session entry with its JSON text exactly as stored, in the engine's order.</summary>
    public abstract ValueTask<IReadOnlyList<KeyValuePair<string, string>>> ReadRawEntriesAsync();

    /// <summary>
    /// How many entries the ring named <paramref name="ring"/> holds as stored, and the bound it records, without the
    /// trimming readers apply; <see langword="null"/> when the ring does not exist. Safe to call while writers run.
    /// </summary>
    public abstract ValueTask<(int MaxEntries, int Entries)?> CountStoredRingEntriesAsync(string ring);

    /// <summary>
    /// What an independent reader (not the store's own code) finds wrong with the stored data: anything unreadable or
    /// half-written, left-overs of an interrupted write, data moved aside, access wider than the owner's. Empty when
    /// all is well. Call it while no writer runs.
    /// </summary>
    public abstract ValueTask<IReadOnlyList<string>> FindIntegrityProblemsAsync();

    /// <summary>
    /// Everything stored for this agent (and anything written beside it), for "nothing was written" comparisons. Lock
    /// bookkeeping that every commit touches (a lock file, a lock row) is left out.
    /// </summary>
    public abstract ValueTask<StorageSnapshot> SnapshotAsync();

    /// <summary>Damages <paramref name="part"/> so that it cannot be read; returns what was there after the damage (its bytes).</summary>
    public virtual ValueTask<byte[]> CorruptAsync(StoragePart part) => throw NotSupported(StoreCapability.CorruptStorage);

    /// <summary>
    /// Checks the error an operation on the damaged <paramref name="part"/> reported: it names the damage, and the damaged
    /// data <paramref name="damaged"/> still exists (never overwritten). Returns what is wrong, or <see langword="null"/>.
    /// </summary>
    public virtual string? CheckCorruptionReport(StoragePart part, byte[] damaged, SessionStoreException error) => throw NotSupported(StoreCapability.CorruptStorage);

    /// <summary>
    /// Makes <paramref name="step"/> fail with an I/O error in commits started on the calling async flow until the result is
    /// disposed; with <paramref name="instead"/>, calls it at that point instead of failing (the writer child kills itself
    /// there). Call it synchronously from the flow that commits (it sets an <see cref="AsyncLocal{T}"/>).
    /// </summary>
    public virtual IDisposable FailAt(StoragePart step, Action? instead = null) => throw NotSupported(StoreCapability.CommitFaults);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return default;
    }

    private NotSupportedException NotSupported(StoreCapability capability) => Engine.NotSupported(capability);
}

/// <summary>A named part of an agent's stored data, and the route target whose data it holds.</summary>
/// <param name="Name">The engine's name for it: a file name, a table, a step of a commit.</param>
/// <param name="Holds">What it holds: the session entries, transcripts, heartbeat state, a ring or the cron run record.</param>
public sealed record StoragePart(string Name, PersistTargets Holds)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Everything an engine stores for one agent, by name, for comparisons.</summary>
public sealed class StorageSnapshot
{
    public StorageSnapshot(SortedDictionary<string, byte[]> items)
    {
        Items = items;
    }

    /// <summary>Each stored item (a file, a row) and its content.</summary>
    public SortedDictionary<string, byte[]> Items { get; }

    /// <summary>What differs from <paramref name="other"/> (added, removed, changed), or <see langword="null"/> when nothing does.</summary>
    public string? DifferenceFrom(StorageSnapshot other)
    {
        var differences = new List<string>();
        foreach (var (name, content) in Items)
        {
            if (!other.Items.TryGetValue(name, out var otherContent))
            {
                differences.Add($"added {name}");
            }
            else if (!content.AsSpan().SequenceEqual(otherContent))
            {
                differences.Add($"changed {name} ({otherContent.Length} → {content.Length} bytes)");
            }
        }

        foreach (var name in other.Items.Keys)
        {
            if (!Items.ContainsKey(name))
            {
                differences.Add($"removed {name}");
            }
        }

        return differences.Count == 0 ? null : string.Join("; ", differences);
    }
}
