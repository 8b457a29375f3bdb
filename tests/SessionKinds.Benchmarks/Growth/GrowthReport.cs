using System.Globalization;
using System.Text;
using HeartbeatAgent;

namespace SessionKinds.Benchmarks.Growth;

/// <summary>Writes a <see cref="GrowthResult"/> as CSV (every day), Markdown tables and an SVG plot. Deterministic output.</summary>
internal static class GrowthReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Csv(GrowthResult result)
    {
        var text = new StringBuilder();
        text.AppendLine("day,sessionkinds_sessions_bytes,sessionkinds_sessions_entries,sessionkinds_transcript_bytes,sessionkinds_transcript_files,sessionkinds_heartbeat_bytes,sessionkinds_other_bytes,sessionkinds_total_bytes,naive_sessions_bytes,naive_sessions_entries,naive_transcript_bytes,naive_transcript_files,naive_heartbeat_bytes,naive_other_bytes,naive_total_bytes");
        foreach (var row in result.Rows)
        {
            var (k, n) = (row.SessionKinds, row.Naive);
            text.AppendLine(string.Create(Invariant,
                $"{row.Day},{k.Sessions},{k.SessionEntries},{k.Transcripts},{k.TranscriptFiles},{k.Heartbeat},{k.Other},{k.Total},{n.Sessions},{n.SessionEntries},{n.Transcripts},{n.TranscriptFiles},{n.Heartbeat},{n.Other},{n.Total}"));
        }

        return text.ToString();
    }

    /// <summary>A Markdown table of the given days (all when <paramref name="days"/> is null).</summary>
    public static string Markdown(GrowthResult result, Func<int, bool>? days = null)
    {
        var text = new StringBuilder();
        text.AppendLine("| day | SK sessions.json | SK entries | SK transcripts | SK heartbeat state + ring | SK total | naive sessions.json | naive entries | naive transcripts | naive total | sessions.json SK/naive | total SK/naive |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in result.Rows.Where(r => days?.Invoke(r.Day) ?? true))
        {
            var (k, n) = (row.SessionKinds, row.Naive);
            text.AppendLine(string.Create(Invariant,
                $"| {row.Day} | {Bytes(k.Sessions)} | {k.SessionEntries:N0} | {Bytes(k.Transcripts)} | {Bytes(k.Heartbeat)} | {Bytes(k.Total)} | {Bytes(n.Sessions)} | {n.SessionEntries:N0} | {Bytes(n.Transcripts)} | {Bytes(n.Total)} | {row.SessionsRatio:0.000} | {row.TotalRatio:0.000} |"));
        }

        return text.ToString();
    }

    /// <summary>The sample's own comparison table of the final folders (what <c>dotnet run --project samples/HeartbeatAgent</c> prints).</summary>
    public static string FinalTable(GrowthResult result)
    {
        using var writer = new StringWriter(Invariant);
        ReportTable.Write(writer, result.FinalSessionKinds, result.FinalNaive);
        return writer.ToString();
    }

    /// <summary>
    /// A line plot of total bytes and of <c>sessions.json</c> bytes per day, SessionKinds against naive, all agents summed.
    /// Plain SVG 1.1, no script, no external resource.
    /// </summary>
    public static string Svg(GrowthResult result)
    {
        const double width = 860, height = 480, left = 90, right = 230, top = 50, bottom = 60;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var rows = result.Rows;
        var maxBytes = Math.Max(1, rows.Max(r => Math.Max(r.Naive.Total, r.SessionKinds.Total)));
        var (step, unit, divisor) = NiceAxis(maxBytes);
        var topValue = Math.Ceiling(maxBytes / divisor / step) * step;
        double X(int day) => left + (rows.Count <= 1 ? 0 : (day - 1) * plotWidth / (rows.Count - 1));
        double Y(long bytes) => top + plotHeight - (bytes / divisor / topValue * plotHeight);

        var svg = new StringBuilder();
        svg.AppendLine(string.Create(Invariant, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"""));
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        svg.AppendLine(string.Create(Invariant, $"""<text x="{left}" y="24" font-size="15" font-weight="bold">Agent folders after each simulated day: {result.Agents} agents, SessionKinds vs naive</text>"""));

        // Grid and axes.
        for (var value = 0.0; value <= topValue + 1e-9; value += step)
        {
            var y = top + plotHeight - (value / topValue * plotHeight);
            svg.AppendLine(string.Create(Invariant, $"""<line x1="{left}" y1="{y:0.#}" x2="{left + plotWidth}" y2="{y:0.#}" stroke="#e0e0e0"/>"""));
            svg.AppendLine(string.Create(Invariant, $"""<text x="{left - 8}" y="{y + 4:0.#}" text-anchor="end">{value:0.##} {unit}</text>"""));
        }

        var dayStep = rows.Count > 60 ? 10 : rows.Count > 20 ? 5 : 1;
        for (var day = 1; day <= rows.Count; day++)
        {
            if (day == 1 || day % dayStep == 0)
            {
                svg.AppendLine(string.Create(Invariant, $"""<text x="{X(day):0.#}" y="{top + plotHeight + 18}" text-anchor="middle">{day}</text>"""));
            }
        }

        svg.AppendLine(string.Create(Invariant, $"""<line x1="{left}" y1="{top + plotHeight}" x2="{left + plotWidth}" y2="{top + plotHeight}" stroke="black"/>"""));
        svg.AppendLine(string.Create(Invariant, $"""<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plotHeight}" stroke="black"/>"""));
        svg.AppendLine(string.Create(Invariant, $"""<text x="{left + plotWidth / 2:0.#}" y="{height - 18}" text-anchor="middle">simulated day</text>"""));

        var series = new (string Label, string Color, string Dash, Func<GrowthDay, long> Value)[]
        {
            ("naive: total", "#d62728", "", r => r.Naive.Total),
            ("naive: sessions.json", "#d62728", "6 4", r => r.Naive.Sessions),
            ("SessionKinds: total", "#1f77b4", "", r => r.SessionKinds.Total),
            ("SessionKinds: sessions.json", "#1f77b4", "6 4", r => r.SessionKinds.Sessions),
        };
        for (var i = 0; i < series.Length; i++)
        {
            var (label, color, dash, value) = series[i];
            var points = string.Join(" ", rows.Select(r => string.Create(Invariant, $"{X(r.Day):0.#},{Y(value(r)):0.#}")));
            var dashAttribute = dash.Length == 0 ? "" : $" stroke-dasharray=\"{dash}\"";
            svg.AppendLine($"""<polyline fill="none" stroke="{color}" stroke-width="2"{dashAttribute} points="{points}"/>""");

            var legendY = top + 10 + i * 22;
            var legendX = left + plotWidth + 20;
            svg.AppendLine(string.Create(Invariant, $"""<line x1="{legendX}" y1="{legendY}" x2="{legendX + 28}" y2="{legendY}" stroke="{color}" stroke-width="2"{dashAttribute}/>"""));
            svg.AppendLine(string.Create(Invariant, $"""<text x="{legendX + 36}" y="{legendY + 4}">{label}</text>"""));
        }

        var last = rows[^1];
        svg.AppendLine(string.Create(Invariant, $"""<text x="{left + plotWidth + 20}" y="{top + 120}">day {last.Day}:</text>"""));
        svg.AppendLine(string.Create(Invariant, $"""<text x="{left + plotWidth + 20}" y="{top + 138}">naive {Bytes(last.Naive.Total)}</text>"""));
        svg.AppendLine(string.Create(Invariant, $"""<text x="{left + plotWidth + 20}" y="{top + 156}">SessionKinds {Bytes(last.SessionKinds.Total)}</text>"""));
        svg.AppendLine(string.Create(Invariant, $"""<text x="{left + plotWidth + 20}" y="{top + 174}">ratio {last.TotalRatio:0.000}</text>"""));
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>Bytes with a binary unit, three significant figures.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 10 * 1024 => string.Create(Invariant, $"{bytes:N0} B"),
        < 10 * 1024 * 1024 => string.Create(Invariant, $"{bytes / 1024.0:N1} KiB"),
        _ => string.Create(Invariant, $"{bytes / (1024.0 * 1024.0):N1} MiB"),
    };

    private static (double Step, string Unit, double Divisor) NiceAxis(long maxBytes)
    {
        var (unit, divisor) = maxBytes >= 10 * 1024 * 1024 ? ("MiB", 1024.0 * 1024.0) : maxBytes >= 10 * 1024 ? ("KiB", 1024.0) : ("B", 1.0);
        var raw = maxBytes / divisor / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        return (step, unit, divisor);
    }
}
