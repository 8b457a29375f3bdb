namespace SessionKinds;

/// <summary>What an agent folder holds, as an import writes it (<see cref="AgentFolderImport.ReadAsync"/>).</summary>
public sealed class AgentFolderContent
{
    internal AgentFolderContent(
        string folder,
        IReadOnlyList<ImportedSessionEntry> entries,
        IReadOnlyList<ImportedTranscript> transcripts,
        HeartbeatState? heartbeatState,
        IReadOnlyList<HeartbeatRing> rings,
        CronRunLog? cronRuns,
        AgentImportReport report)
    {
        Folder = folder;
        Entries = entries;
        Transcripts = transcripts;
        HeartbeatState = heartbeatState;
        Rings = rings;
        CronRuns = cronRuns;
        Report = report;
    }

    /// <summary>The agent folder's full path.</summary>
    public string Folder { get; }

    /// <summary>The session entries, in file order.</summary>
    public IReadOnlyList<ImportedSessionEntry> Entries { get; }

    /// <summary>The transcripts, each under a session id (a UUID).</summary>
    public IReadOnlyList<ImportedTranscript> Transcripts { get; }

    /// <summary>The heartbeat state, or <see langword="null"/> when the folder has none.</summary>
    public HeartbeatState? HeartbeatState { get; }

    /// <summary>The heartbeat rings (each with its owner, size and entries, oldest first).</summary>
    public IReadOnlyList<HeartbeatRing> Rings { get; }

    /// <summary>The cron run record, or <see langword="null"/> when the folder has none.</summary>
    public CronRunLog? CronRuns { get; }

    /// <summary>What was read and what was skipped, and why (not yet written anywhere).</summary>
    public AgentImportReport Report { get; }
}

/// <summary>One session entry to import.</summary>
/// <param name="Key">The session key, as in the file.</param>
/// <param name="Json">The entry's JSON exactly as in the file, every field kept.</param>
/// <param name="SessionId">The entry's <c>sessionId</c> when it is a string.</param>
/// <param name="Kind">The entry's <c>kind</c> field, or when it has none, the kind its key names (<see cref="AgentFolderImport.InferKind"/>); <see cref="SessionKind.Unspecified"/> when neither names one.</param>
/// <param name="KindInferred">Whether <paramref name="Kind"/> was decided from the key.</param>
/// <param name="UpdatedAt">The entry's <c>updatedAt</c> when it is a valid timestamp.</param>
public sealed record ImportedSessionEntry(string Key, string Json, string? SessionId, SessionKind Kind, bool KindInferred, DateTimeOffset? UpdatedAt);

/// <summary>One transcript to import.</summary>
/// <param name="SessionId">The session id (a UUID) it is stored under.</param>
/// <param name="SourceFile">The file it was read from (a file name in the folder).</param>
/// <param name="Lines">Its lines in order, each one JSON object exactly as in the file.</param>
public sealed record ImportedTranscript(string SessionId, string SourceFile, IReadOnlyList<string> Lines);
