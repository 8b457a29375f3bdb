using System.Globalization;
using Spectre.Console;
using SessionKinds.Tool.Cli;
using SessionKinds.Tool.Store;

namespace SessionKinds.Tool.Inspect;

/// <summary>The report for people: tables and a growth chart (Spectre.Console), plain when the output is not a terminal.</summary>
internal static class InspectText
{
    /// <summary>At most this many days are charted; older days are summed into one row.</summary>
    public const int ChartedDays = 45;

    public static void Write(IAnsiConsole console, InspectReport report)
    {
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow(new Text("store"), new Text(report.Location.SessionsPath));
        summary.AddRow(new Text("size"), new Text($"{Units.Count(report.FileBytes)} bytes ({Units.Size(report.FileBytes)}), {Units.Count(report.Entries)} entries"));
        summary.AddRow(new Text("oldest"), new Text(Describe(report.Oldest)));
        summary.AddRow(new Text("newest"), new Text(Describe(report.Newest)));
        if (report.WithoutUpdatedAt > 0)
        {
            summary.AddRow(new Text("no updatedAt"), new Text($"{Units.Count(report.WithoutUpdatedAt)} entries"));
        }

        console.Write(summary);
        console.WriteLine();
        console.Write(KindTable(report));
        console.WriteLine();
        console.Write(BiggestTable(report));
        console.WriteLine();
        WriteGrowth(console, report);
        WriteDuplicates(console, report);
    }

    private static Table KindTable(InspectReport report)
    {
        var table = new Table().Border(TableBorder.Simple).Title("entries and transcripts by kind");
        table.AddColumn("kind");
        table.AddColumn(new TableColumn("entries").RightAligned());
        table.AddColumn(new TableColumn("bytes").RightAligned());
        table.AddColumn(new TableColumn("share").RightAligned());
        table.AddColumn(new TableColumn("kind from key").RightAligned());
        table.AddColumn(new TableColumn("transcripts").RightAligned());
        table.AddColumn(new TableColumn("transcript bytes").RightAligned());
        var entryBytes = report.Kinds.Values.Sum(k => k.Bytes);
        foreach (var (kind, figures) in report.Kinds)
        {
            table.AddRow(
                KeyShapes.Name(kind),
                Units.Count(figures.Entries),
                Units.Size(figures.Bytes),
                Units.Percent(figures.Bytes, entryBytes),
                Units.Count(figures.Inferred),
                Units.Count(figures.Transcripts),
                Units.Size(figures.TranscriptBytes));
        }

        table.AddRow("(no entry)", "-", "-", "-", "-", Units.Count(report.UnreferencedTranscripts), Units.Size(report.UnreferencedTranscriptBytes));
        return table;
    }

    private static Table BiggestTable(InspectReport report)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"the {report.Biggest.Count} biggest entries");
        table.AddColumn(new TableColumn("line").RightAligned());
        table.AddColumn("key");
        table.AddColumn("kind");
        table.AddColumn(new TableColumn("bytes").RightAligned());
        table.AddColumn("biggest fields");
        foreach (var big in report.Biggest)
        {
            var fields = string.Join(", ", big.TopFields.Select(f => $"{f.Name} {Units.Size(f.Bytes)} ({Units.Percent(f.Bytes, big.Bytes)})"));
            table.AddRow(
                new Text(Units.Count(big.Line)),
                new Text(big.Key),
                new Text(KeyShapes.Name(big.Kind)),
                new Text(Units.Size(big.Bytes)),
                new Text(fields));
        }

        return table;
    }

    private static void WriteGrowth(IAnsiConsole console, InspectReport report)
    {
        if (report.Days.Count == 0)
        {
            console.WriteLine("no entry has an updatedAt, so there is no growth per day to show");
            return;
        }

        var chart = new BarChart()
            .Label($"entries per day, by updatedAt (UTC){(report.Days.Count > ChartedDays ? $"; the {report.Days.Count - ChartedDays} days before are summed in the first row" : string.Empty)}")
            .LeftAlignLabel()
            .Width(Math.Min(console.Profile.Width, 100));
        if (report.Days.Count > ChartedDays)
        {
            var earlier = report.Days.Take(report.Days.Count - ChartedDays).ToList();
            chart.AddItem($"before {report.Days[^ChartedDays].Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", earlier.Sum(d => d.Entries), Color.Grey);
        }

        foreach (var day in report.Days.TakeLast(ChartedDays))
        {
            chart.AddItem(
                $"{day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {Units.Size(day.Bytes),10}",
                day.Entries,
                Color.SteelBlue);
        }

        console.Write(chart);
    }

    private static void WriteDuplicates(IAnsiConsole console, InspectReport report)
    {
        if (report.Duplicates.Count == 0)
        {
            return;
        }

        console.WriteLine();
        console.WriteLine($"{Units.Count(report.Duplicates.Count)} key(s) appear more than once; the gateway and SessionKinds keep the last value, in the first position:");
        foreach (var duplicate in report.Duplicates)
        {
            console.Write(new Text($"  {duplicate.Key}  lines {string.Join(", ", duplicate.Lines.Select(l => Units.Count(l)))}"));
            console.WriteLine();
        }
    }

    private static string Describe(ScannedEntry? entry) =>
        entry is null ? "-" : $"{Units.Timestamp(entry.UpdatedAt!.Value)}  {entry.Key}";
}
