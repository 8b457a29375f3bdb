namespace SessionKinds.Internal;

/// <summary>Reads and writes <c>sessions.json</c>, rotating it into an archive when it grows past the limit.</summary>
internal sealed class SessionIndexStore
{
    private readonly AgentStoreOptions _options;
    private readonly FolderLock _lock;
    private readonly SessionStoreRotator _rotator;

    public SessionIndexStore(string folder, AgentStoreOptions options, FolderLock folderLock)
    {
        Path = System.IO.Path.Combine(folder, AgentFileNameRules.Sessions);
        _options = options;
        _lock = folderLock;
        _rotator = new SessionStoreRotator(folder, options);
    }

    public string Path { get; }

    public SessionStoreRotator Rotator => _rotator;

    /// <summary>Loads the index while the folder lock is held (a corrupt file is moved aside).</summary>
    public SessionIndex LoadForUpdate() =>
        StoreFile.LoadForUpdate(Path, _options.Time, SessionIndex.Parse) ?? SessionIndex.Empty();

    /// <summary>Loads the index for reading, without the lock unless the file turns out corrupt.</summary>
    public SessionIndex LoadForRead() =>
        StoreFile.LoadForRead(Path, _options.Time, _lock, SessionIndex.Parse) ?? SessionIndex.Empty();

    /// <summary>
    /// Writes the index atomically. When the result would exceed <see cref="AgentStoreOptions.RotateAtBytes"/>, the
    /// whole store is first archived (gzip, atomically), then the live file keeps the newest entries, then old
    /// archives beyond <see cref="AgentStoreOptions.ArchivesToKeep"/> are deleted.
    /// </summary>
    /// <returns>The archive written, or <see langword="null"/> when the store was not rotated.</returns>
    public string? Save(SessionIndex index)
    {
        var whole = JsonValues.Serialize(index.SourceLength + 512, JsonValues.FileWriterOptions, index, static (w, i) => i.WriteTo(w, null));
        if (whole.WrittenCount <= _options.RotateAtBytes)
        {
            DurableFile.ReplaceAtomically(Path, whole.WrittenSpan);
            return null;
        }

        var archive = _rotator.WriteArchive(whole.WrittenMemory);
        var keep = index.SelectNewest(_options.EntriesKeptAfterRotation);
        var live = JsonValues.Serialize(
            (int)Math.Min(whole.WrittenCount, int.MaxValue / 2), JsonValues.FileWriterOptions, (index, keep), static (w, s) => s.index.WriteTo(w, s.keep));
        DurableFile.ReplaceAtomically(Path, live.WrittenSpan);
        _rotator.PruneArchives();
        return archive;
    }
}
