using SessionKinds.Persistence.Json;
using SessionKinds.Engines;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// <c>cron-runs.json</c>, the cron run record:
/// <c>{"maxEntries": 100, "runs": [{"ts": s, "task": "…", "verdict": "output"|"silent"|"failed"|"skipped", "summary": "…", "durationMs": n}]}</c>,
/// oldest run first, one per line. <c>maxEntries</c> bounds the runs of each task, so a frequent job never pushes a daily
/// one out. Fields the store does not own are kept; runs that cannot be read are skipped by readers and kept by writers
/// (they count toward no task's bound).
/// </summary>
internal static class CronRunsFile
{
    private const string MaxEntriesField = "maxEntries";
    private const string RunsField = "runs";

    public static Content Parse(ReadOnlyMemory<byte> content)
    {
        var (top, runs) = JsonEntryList.Parse(content, "The cron run record", RunsField);
        return new Content(top, runs);
    }

    /// <summary>Stages the record with one more run, keeping at most <see cref="CronRunAppend.RunsToKeep"/> runs of its task.</summary>
    public static void Stage(FolderCommit commit, string path, Content? current, CronRunAppend append)
    {
        var existing = current?.Runs ?? [];

        // Walk from the newest: the run being added is one of the task's, so keep RunsToKeep - 1 of the older ones.
        var keep = new bool[existing.Count];
        var sameTask = 1;
        for (var i = existing.Count - 1; i >= 0; i--)
        {
            keep[i] = TaskOf(existing[i]) != append.Run.Task || sameTask++ < append.RunsToKeep;
        }

        var runs = new List<ReadOnlyMemory<byte>>(existing.Count + 1);
        for (var i = 0; i < existing.Count; i++)
        {
            if (keep[i])
            {
                runs.Add(existing[i]);
            }
        }

        runs.Add(JsonEntryList.Entry(append.Run, static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteNumber("ts", r.Timestamp.ToUnixTimeSeconds());
            w.WriteString("task", r.Task);
            w.WriteString("verdict", VerdictName(r.Verdict));
            w.WriteString("summary", r.Summary);
            w.WriteNumber("durationMs", (long)r.Duration.TotalMilliseconds);
            w.WriteEndObject();
        }));

        var rewrite = new JsonObjectRewrite()
            .Set(MaxEntriesField, append.RunsToKeep)
            .SetWith(RunsField, w => JsonEntryList.WriteArray(w, runs));
        var bytes = JsonValues.Serialize(runs.Count * 160 + 128, JsonValues.FileWriterOptions, (rewrite, current?.Top), static (w, s) => s.rewrite.WriteTo(w, s.Top));
        commit.Replace(path, bytes.WrittenMemory);
    }

    public static CronRunLog Read(Content? current, string? task)
    {
        if (current is not var (top, rawRuns))
        {
            return new CronRunLog(0, []);
        }

        var runs = new List<CronRun>(rawRuns.Count);
        foreach (var raw in rawRuns)
        {
            if (TryReadRun(raw, out var run) && (task is null || run.Task == task))
            {
                runs.Add(run);
            }
        }

        var max = top.TryGet(MaxEntriesField, out var rawMax) && JsonValues.TryReadInteger(rawMax, out var m) && m is >= 1 and <= int.MaxValue ? (int)m : 0;
        return new CronRunLog(max, runs);
    }

    public static string VerdictName(CronRunVerdict verdict) => verdict switch
    {
        CronRunVerdict.Output => "output",
        CronRunVerdict.Silent => "silent",
        CronRunVerdict.Failed => "failed",
        _ => "skipped",
    };

    private static string? TaskOf(ReadOnlyMemory<byte> raw) =>
        RawJsonObject.TryParseValue(raw, out var run) ? JsonValues.ReadString(run, "task") : null;

    private static bool TryReadRun(ReadOnlyMemory<byte> raw, out CronRun run)
    {
        run = default!;
        if (!RawJsonObject.TryParseValue(raw, out var obj) || JsonValues.ReadString(obj, "task") is not { } task)
        {
            return false;
        }

        CronRunVerdict verdict;
        switch (JsonValues.ReadString(obj, "verdict"))
        {
            case "output": verdict = CronRunVerdict.Output; break;
            case "silent": verdict = CronRunVerdict.Silent; break;
            case "failed": verdict = CronRunVerdict.Failed; break;
            case "skipped": verdict = CronRunVerdict.Skipped; break;
            default: return false;
        }

        var seconds = obj.TryGet("ts", out var rawTs) && JsonValues.TryReadInteger(rawTs, out var ts) && ts is >= 0 and <= 253_402_300_799 ? ts : 0;
        var ms = obj.TryGet("durationMs", out var rawMs) && JsonValues.TryReadInteger(rawMs, out var d) && d is >= 0 and <= int.MaxValue * 1000L ? d : 0;
        run = new CronRun(DateTimeOffset.FromUnixTimeSeconds(seconds), task, verdict, JsonValues.ReadString(obj, "summary") ?? string.Empty, TimeSpan.FromMilliseconds(ms));
        return true;
    }

    /// <summary>A parsed record: its top-level members and its raw runs, oldest first.</summary>
    internal sealed record Content(RawJsonObject Top, List<ReadOnlyMemory<byte>> Runs);
}
