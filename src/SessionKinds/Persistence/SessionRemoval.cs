namespace SessionKinds;

/// <summary>What <see cref="FileSessionStore.RemoveSessionsAsync"/> did.</summary>
public sealed class SessionRemoval
{
    internal SessionRemoval(
        string? backupPath,
        IReadOnlyList<string> removedKeys,
        IReadOnlyList<string> skippedKeys,
        IReadOnlyList<string> deletedTranscripts,
        IReadOnlyList<string> transcriptsLeft,
        long bytesBefore,
        long bytesAfter)
    {
        BackupPath = backupPath;
        RemovedKeys = removedKeys;
        SkippedKeys = skippedKeys;
        DeletedTranscripts = deletedTranscripts;
        TranscriptsLeft = transcriptsLeft;
        BytesBefore = bytesBefore;
        BytesAfter = bytesAfter;
    }

    /// <summary>
    /// The full path of the <c>sessions-&lt;timestamp&gt;.json.gz</c> backup: the store as it was before, byte for byte
    /// (decompress it over <c>sessions.json</c> to undo). <see langword="null"/> when nothing was removed (nothing written).
    /// </summary>
    public string? BackupPath { get; }

    /// <summary>The keys whose entries were removed, in file order.</summary>
    public IReadOnlyList<string> RemovedKeys { get; }

    /// <summary>The keys asked for that were left alone: the entry was changed or removed since it was read.</summary>
    public IReadOnlyList<string> SkippedKeys { get; }

    /// <summary>The full paths of the transcripts deleted with the removed entries.</summary>
    public IReadOnlyList<string> DeletedTranscripts { get; }

    /// <summary>The full paths of transcripts of removed entries that could not be deleted (no entry refers to them any more).</summary>
    public IReadOnlyList<string> TranscriptsLeft { get; }

    /// <summary>The size of <c>sessions.json</c> before, in bytes (0 when it did not exist).</summary>
    public long BytesBefore { get; }

    /// <summary>The size of <c>sessions.json</c> after, in bytes.</summary>
    public long BytesAfter { get; }
}
