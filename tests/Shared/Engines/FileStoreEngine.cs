using System.Globalization;
using System.Text;
using System.Text.Json;
using SessionKinds.Persistence.Files;
using SessionKinds.Persistence.Files.Locking;

namespace SessionKinds.Tests.Engines;

/// <summary>The agent-folder engine, <see cref="FileSessionStore"/>: an agent is the folder <c>&lt;work folder&gt;/agent</c>.</summary>
public sealed class FileStoreEngine : StoreEngine
{
    internal static readonly StoragePart SessionsStep = new("sessions.json", PersistTargets.SessionEntry);
    internal static readonly StoragePart TranscriptStep = new("<sessionId>.jsonl", PersistTargets.Transcript);
    internal static readonly StoragePart StateStep = new("heartbeat-state.json", PersistTargets.HeartbeatState);
    internal static readonly StoragePart RingStep = new("heartbeat-ring*.json", PersistTargets.HeartbeatRing);
    internal static readonly StoragePart CronRunsStep = new("cron-runs.json", PersistTargets.CronRun);

    /// <inheritdoc />
    public override string Name => "file";

    /// <inheritdoc />
    /// <remarks>The JSON files; the ring is the default one (the conformance suite's generated heartbeat task writes it).</remarks>
    public override IReadOnlyList<StoragePart> CorruptibleParts { get; } =
    [
        new("sessions.json", PersistTargets.SessionEntry),
        new("heartbeat-state.json", PersistTargets.HeartbeatState),
        new(HeartbeatSessionAttribute.DefaultRingFile, PersistTargets.HeartbeatRing),
        new("cron-runs.json", PersistTargets.CronRun),
    ];

    /// <inheritdoc />
    /// <remarks>
    /// Staging each JSON file (the temp file is written, then fails as a full disk would) and the transcript append; a
    /// ring step fails whichever ring the commit writes. The archive of a rotation is staged too (Files/RotationTests).
    /// </remarks>
    public override IReadOnlyList<StoragePart> CommitSteps { get; } = [SessionsStep, StateStep, RingStep, CronRunsStep, TranscriptStep];

    /// <inheritdoc />
    public override StoreAgent CreateAgent(string workFolder) => new FileStoreAgent(this, Path.Combine(workFolder, "agent"), workFolder);

    /// <inheritdoc />
    public override StoreAgent OpenAgent(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 1)
        {
            throw new ArgumentException($"The file engine takes one argument, the agent folder; got {arguments.Count}.", nameof(arguments));
        }

        return new FileStoreAgent(this, arguments[0], workFolder: null);
    }

    /// <inheritdoc />
    public override string? Lacks(StoreCapability capability) => capability switch
    {
        StoreCapability.CorruptStorage => null,
        StoreCapability.CommitFaults => null,
        _ => $"{capability} is not known to this engine harness yet",
    };
}

/// <summary>An agent folder.</summary>
public sealed class FileStoreAgent : StoreAgent
{
    /// <summary>The lock files every commit touches; not data, so left out of snapshots.</summary>
    public static readonly string[] LockFiles = [".sessionkinds.lock", ".sessionkinds.lock.owner", ".sessionkinds.lock.wait"];

    private readonly FileStoreEngine _engine;
    private readonly string? _workFolder;

    internal FileStoreAgent(FileStoreEngine engine, string folder, string? workFolder)
    {
        _engine = engine;
        Folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        _workFolder = workFolder is null ? null : Path.GetFullPath(workFolder);
    }

    /// <summary>The agent folder's full path.</summary>
    public string Folder { get; }

    /// <inheritdoc />
    public override StoreEngine Engine => _engine;

    /// <inheritdoc />
    public override IReadOnlyList<string> Arguments => [Folder];

    /// <summary>The full path of a file in the agent folder.</summary>
    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <inheritdoc />
    public override SessionStore Open(StoreSettings settings) => Open(settings, configure: null);

    /// <summary>Opens a store with file-engine settings on top of <paramref name="settings"/>.</summary>
    public FileSessionStore Open(StoreSettings settings, Action<FileSessionStoreOptions>? configure)
    {
        var options = new FileSessionStoreOptions { Time = settings.Time, CronRunsToKeep = settings.CronRunsToKeep, LockTimeout = settings.WaitTimeout };
        foreach (var (name, value) in settings.EngineSettings)
        {
            switch (name)
            {
                case "rotateAtBytes": options.RotateAtBytes = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "entriesKeptAfterRotation": options.EntriesKeptAfterRotation = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "archivesToKeep": options.ArchivesToKeep = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"The file engine has no setting \"{name}\".", nameof(settings));
            }
        }

        configure?.Invoke(options);
        return new FileSessionStore(Folder, options);
    }

    /// <inheritdoc />
    public override async ValueTask<IAsyncDisposable> HoldWriteLockAsync(CancellationToken cancellationToken = default)
    {
        DurableFile.EnsureFolder(Folder);
        var held = await new FolderLock(Folder, TimeSpan.FromDays(1)).AcquireAsync(cancellationToken);
        return new Release(held);
    }

    /// <inheritdoc />
    public override ValueTask<IAsyncDisposable?> TryHoldWriteLockNowAsync()
    {
        DurableFile.EnsureFolder(Folder);
        var held = new FolderLock(Folder, TimeSpan.Zero).TryAcquireNow();
        return new(held is null ? null : new Release(held));
    }

    /// <inheritdoc />
    public override async ValueTask SeedEntryAsync(string key, string entryJson)
    {
        await using var held = await HoldWriteLockAsync();
        var entries = ReadEntries();
        var index = entries.FindIndex(e => e.Key == key);
        if (index >= 0)
        {
            entries[index] = new(key, entryJson);
        }
        else
        {
            entries.Add(new(key, entryJson));
        }

        var text = new StringBuilder("{\n");
        for (var i = 0; i < entries.Count; i++)
        {
            text.Append("  ").Append(JsonSerializer.Serialize(entries[i].Key)).Append(": ").Append(entries[i].Value).Append(i + 1 < entries.Count ? ",\n" : "\n");
        }

        text.Append("}\n");
        WriteOwnerOnly(PathOf("sessions.json"), Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<KeyValuePair<string, string>>> ReadRawEntriesAsync() => new(ReadEntries());

    /// <inheritdoc />
    public override ValueTask<(int MaxEntries, int Entries)?> CountStoredRingEntriesAsync(string ring)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathOf(ring));
        }
        catch (FileNotFoundException)
        {
            return new(((int, int)?)null);
        }

        // A strict parser: a torn file throws here, as it would for any tool reading the folder.
        using var json = JsonDocument.Parse(bytes);
        return new((json.RootElement.GetProperty("maxEntries").GetInt32(), json.RootElement.GetProperty("entries").GetArrayLength()));
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<string>> FindIntegrityProblemsAsync() =>
        new(Directory.Exists(Folder) ? FolderAudit.Inspect(Folder).Problems.ToList() : []);

    /// <inheritdoc />
    public override ValueTask<StorageSnapshot> SnapshotAsync()
    {
        var root = _workFolder ?? Folder;
        var items = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (Directory.Exists(root))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            {
                var name = Path.GetRelativePath(root, entry).Replace('\\', '/');
                if (Path.GetDirectoryName(entry) == Folder && LockFiles.Contains(Path.GetFileName(entry)))
                {
                    continue;
                }

                if (Directory.Exists(entry) && new FileInfo(entry).LinkTarget is null)
                {
                    items[name + "/"] = [];
                }
                else
                {
                    items[name] = ReadLinkOrFile(entry);
                }
            }
        }

        return new(new StorageSnapshot(items));
    }

    /// <inheritdoc />
    public override ValueTask<byte[]> CorruptAsync(StoragePart part)
    {
        var path = PathOf(part.Name);
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];

        // Cut short in the middle, as a broken disk or a tool killed mid-write leaves a file: an object that never closes.
        var damaged = bytes.Length > 2 ? bytes[..(bytes.Length / 2)] : "{\"cut"u8.ToArray();
        WriteOwnerOnly(path, damaged);
        return new(damaged);
    }

    /// <inheritdoc />
    public override string? CheckCorruptionReport(StoragePart part, byte[] damaged, SessionStoreException error)
    {
        var path = PathOf(part.Name);
        if (error is not SessionStoreCorruptFileException corrupt)
        {
            return $"expected a {nameof(SessionStoreCorruptFileException)}, got {error.GetType().Name}: {error.Message}";
        }

        if (corrupt.Location != path)
        {
            return $"the error names {corrupt.Location}, not {path}";
        }

        if (corrupt.MovedToPath is not { } moved || Path.GetDirectoryName(moved) != Folder || !Path.GetFileName(moved).StartsWith(part.Name + ".corrupt-", StringComparison.Ordinal))
        {
            return $"the file was not moved aside to {part.Name}.corrupt-<timestamp> in the folder: {corrupt.MovedToPath ?? "(not moved)"}";
        }

        if (!File.Exists(moved) || !File.ReadAllBytes(moved).AsSpan().SequenceEqual(damaged))
        {
            return $"{moved} does not hold the damaged bytes";
        }

        if (!corrupt.Message.Contains(path, StringComparison.Ordinal) || !corrupt.Message.Contains(moved, StringComparison.Ordinal))
        {
            return $"the message does not name both {path} and {moved}: {corrupt.Message}";
        }

        return File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(damaged) ? $"{path} still holds the damaged bytes" : null;
    }

    /// <inheritdoc />
    public override IDisposable FailAt(StoragePart step, Action? instead = null)
    {
        var previousReplace = DurableFile.BeforeReplace.Value;
        var previousAppend = DurableFile.BeforeAppend.Value;
        if (step == FileStoreEngine.TranscriptStep)
        {
            DurableFile.BeforeAppend.Value = path => Fail(path, instead);
        }
        else
        {
            DurableFile.BeforeReplace.Value = path =>
            {
                var name = Path.GetFileName(path);
                var matches = step == FileStoreEngine.RingStep
                    ? name.EndsWith(".json", StringComparison.Ordinal) && name is not "sessions.json" and not "heartbeat-state.json" and not "cron-runs.json"
                    : name == step.Name;
                if (matches)
                {
                    Fail(path, instead);
                }
            };
        }

        return new Restore(() =>
        {
            DurableFile.BeforeReplace.Value = previousReplace;
            DurableFile.BeforeAppend.Value = previousAppend;
        });

        static void Fail(string path, Action? instead)
        {
            if (instead is not null)
            {
                instead();
                return;
            }

            throw new IOException($"No space left on device (simulated failure writing {Path.GetFileName(path)})");
        }
    }

    private List<KeyValuePair<string, string>> ReadEntries()
    {
        var path = PathOf("sessions.json");
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetRawText())).ToList();
    }

    private static byte[] ReadLinkOrFile(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
        {
            return Encoding.UTF8.GetBytes("link → " + target);
        }

        return File.ReadAllBytes(path);
    }

    private void WriteOwnerOnly(string path, byte[] content)
    {
        DurableFile.EnsureFolder(Folder);
        using var stream = new FileStream(path, DurableFile.OpenOptions(FileMode.Create, FileAccess.Write, FileShare.None));
        stream.Write(content);
    }

    private sealed class Release(FolderLock.Held held) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            held.Dispose();
            return default;
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
