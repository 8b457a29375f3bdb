using System.Globalization;

namespace HeartbeatAgent;

/// <summary>Prints the SessionKinds-versus-naive comparison, one row per kind of file.</summary>
internal static class ReportTable
{
    private static readonly string[] Rows =
    [
        "sessions.json", "transcripts (*.jsonl)", "heartbeat-state.json", "heartbeat-ring.json", "cron-runs.json", "schedule-claims.json", "archives (*.json.gz)", "lock files", "other",
    ];

    public static void Write(TextWriter output, FolderReport kinds, FolderReport naive)
    {
        var table = new List<string[]> { new[] { "file", "SessionKinds", "", "naive", "", "saved" } };
        foreach (var row in Rows)
        {
            var ours = kinds.Find(row);
            var theirs = naive.Find(row);
            if (ours is null && theirs is null)
            {
                continue;
            }

            table.Add([row, Bytes(ours?.Bytes ?? 0), ours?.Describe() ?? "-", Bytes(theirs?.Bytes ?? 0), theirs?.Describe() ?? "-", Saved(ours?.Bytes ?? 0, theirs?.Bytes ?? 0)]);
        }

        table.Add(["total", Bytes(kinds.TotalBytes), "", Bytes(naive.TotalBytes), "", Saved(kinds.TotalBytes, naive.TotalBytes)]);

        var widths = Enumerable.Range(0, table[0].Length).Select(c => table.Max(r => r[c].Length)).ToArray();
        foreach (var row in table)
        {
            output.WriteLine("  " + string.Join("  ", row.Select((cell, c) => c is 1 or 3 or 5 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        }
    }

    private static string Bytes(long bytes) => bytes switch
    {
        < 10 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B"),
        < 10 * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:N1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):N1} MiB"),
    };

    private static string Saved(long ours, long theirs) => theirs == 0
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{(1.0 - ((double)ours / theirs)) * 100:0.#}%");
}
