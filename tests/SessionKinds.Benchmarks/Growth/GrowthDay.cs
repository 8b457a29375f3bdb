namespace SessionKinds.Benchmarks.Growth;

/// <summary>The bytes of one set of agent folders at the end of a simulated day, by kind of file.</summary>
internal readonly record struct FolderBytes(long Sessions, long SessionEntries, long Transcripts, long TranscriptFiles, long Heartbeat, long Other)
{
    public long Total => Sessions + Transcripts + Heartbeat + Other;

    public static FolderBytes operator +(FolderBytes a, FolderBytes b) => new(
        a.Sessions + b.Sessions,
        a.SessionEntries + b.SessionEntries,
        a.Transcripts + b.Transcripts,
        a.TranscriptFiles + b.TranscriptFiles,
        a.Heartbeat + b.Heartbeat,
        a.Other + b.Other);

    /// <summary>
    /// Sizes from the directory listing (no file is opened except <c>sessions.json</c>, whose entries are counted), grouped
    /// like the sample's report: <c>sessions.json</c>; transcripts <c>*.jsonl</c>; heartbeat state and rings; everything
    /// else (lock files, archives).
    /// </summary>
    public static FolderBytes Measure(string folder)
    {
        long sessions = 0, entries = 0, transcripts = 0, transcriptFiles = 0, heartbeat = 0, other = 0;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
        {
            var name = file.Name;
            if (name == "sessions.json")
            {
                sessions += file.Length;
                entries += CountEntries(file.FullName);
            }
            else if (name.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                transcripts += file.Length;
                transcriptFiles++;
            }
            else if (name == "heartbeat-state.json" || name.StartsWith("heartbeat-ring", StringComparison.Ordinal))
            {
                heartbeat += file.Length;
            }
            else
            {
                other += file.Length;
            }
        }

        return new FolderBytes(sessions, entries, transcripts, transcriptFiles, heartbeat, other);
    }

    private static long CountEntries(string path)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.EnumerateObject().LongCount();
    }
}

/// <summary>One row of the growth table: all agents' folders at the end of <paramref name="Day"/> (1-based).</summary>
internal readonly record struct GrowthDay(int Day, FolderBytes SessionKinds, FolderBytes Naive)
{
    public double TotalRatio => Naive.Total == 0 ? double.NaN : SessionKinds.Total / (double)Naive.Total;

    public double SessionsRatio => Naive.Sessions == 0 ? double.NaN : SessionKinds.Sessions / (double)Naive.Sessions;
}
