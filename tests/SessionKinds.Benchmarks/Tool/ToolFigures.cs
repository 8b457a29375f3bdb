using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SessionKinds.Benchmarks.Infrastructure;
using SessionKinds.Testing;
using SessionKinds.Tool.Cli;

namespace SessionKinds.Benchmarks.Tool;

/// <summary>
/// F: the <c>sessionkinds</c> tool on a gateway store of the size users report (50,000 entries, about 55 MB, with their
/// transcripts), side by side in one run with the floor of any reader: a full parse of the same file by
/// System.Text.Json's <see cref="JsonDocument"/>. Each measurement runs in a fresh child process (this program again,
/// <c>--tool-figures child &lt;operation&gt; &lt;folder&gt;</c>), so its peak resident memory is its own; operations are
/// interleaved round by round, and compact gets a fresh copy of the folder each round. Time is measured inside the child
/// around the operation only (process start and JIT of the runtime excluded, the tool's own JIT included).
/// <c>dotnet run -c Release --project tests/SessionKinds.Benchmarks -- --tool-figures [entries] [rounds]</c>.
/// </summary>
public static class ToolFigures
{
    private static readonly string[] Operations = ["runtime floor", "JsonDocument.Parse", "inspect", "inspect --json", "compact --dry-run", "compact"];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args is [_, "child", var childOperation, var childFolder])
        {
            return await ChildAsync(childOperation, childFolder, output);
        }

        var entries = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var root = BenchFolders.Create("tool-figures");
        try
        {
            var source = Path.Combine(root, "source");
            GatewayFolders.Create(source, entries);
            var storeBytes = new FileInfo(Path.Combine(source, "sessions.json")).Length;
            var (transcripts, transcriptBytes) = Transcripts(source);
            var samples = Operations.ToDictionary(o => o, _ => new List<(double Ms, long PeakRss, long Allocated)>());
            long after = 0;
            int afterTranscripts = 0;
            long afterTranscriptBytes = 0;
            for (var round = 0; round < rounds; round++)
            {
                foreach (var operation in Operations)
                {
                    var folder = source;
                    if (operation == "compact")
                    {
                        folder = Path.Combine(root, $"copy-{round}");
                        Copy(source, folder);
                    }

                    samples[operation].Add(await MeasureAsync(operation, folder));
                    if (operation == "compact")
                    {
                        after = new FileInfo(Path.Combine(folder, "sessions.json")).Length;
                        (afterTranscripts, afterTranscriptBytes) = Transcripts(folder);
                        BenchFolders.Delete(folder);
                    }
                }
            }

            output.WriteLine(Report(entries, rounds, storeBytes, after, transcripts, transcriptBytes, afterTranscripts, afterTranscriptBytes, samples));
            return 0;
        }
        finally
        {
            BenchFolders.Delete(root);
        }
    }

    private static string Report(
        int entries, int rounds, long before, long after, int transcripts, long transcriptBytes, int afterTranscripts, long afterTranscriptBytes,
        Dictionary<string, List<(double Ms, long PeakRss, long Allocated)>> samples)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"F. sessionkinds on a generated gateway store: {entries:N0} entries, sessions.json {before:N0} bytes ({before / 1048576.0:0.0} MiB), {transcripts:N0} transcripts ({transcriptBytes / 1048576.0:0.0} MiB); {rounds} rounds, medians; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        text.AppendLine();
        text.AppendLine("| operation | time (median) | time (min..max) | peak RSS (median) | allocated (median) | time vs JsonDocument.Parse |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        var parse = Median(samples["JsonDocument.Parse"].Select(s => s.Ms));
        foreach (var (operation, list) in samples)
        {
            var ms = Median(list.Select(s => s.Ms));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {operation} | {ms:N0} ms | {list.Min(s => s.Ms):N0}..{list.Max(s => s.Ms):N0} ms | {Median(list.Select(s => (double)s.PeakRss)) / 1048576.0:N0} MiB | {Median(list.Select(s => (double)s.Allocated)) / 1048576.0:N0} MiB | {(operation == "runtime floor" ? "-" : (ms / parse).ToString("0.00", CultureInfo.InvariantCulture) + "x")} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"sessions.json: {before:N0} bytes before, {after:N0} bytes after compact ({100.0 * (before - after) / before:0.0}% smaller); transcripts: {transcripts:N0} files ({transcriptBytes:N0} bytes) before, {afterTranscripts:N0} ({afterTranscriptBytes:N0} bytes) after.");
        return text.ToString();
    }

    private static async Task<(double Ms, long PeakRss, long Allocated)> MeasureAsync(string operation, string folder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(ToolFigures).Assembly.Location, "--tool-figures", "child", operation, folder })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the measuring child.");
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = (await stdout).Split('\n').LastOrDefault(l => l.StartsWith("measured ", StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"{operation} failed (exit {child.ExitCode}): {await stderr}");
        }

        var parts = line.Split(' ');
        return (double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>In the child: runs one operation, then prints <c>measured &lt;ms&gt; &lt;peak RSS bytes&gt; &lt;allocated bytes&gt;</c>.</summary>
    private static async Task<int> ChildAsync(string operation, string folder, TextWriter output)
    {
        var sessions = Path.Combine(folder, "sessions.json");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var exit = 0;
        using var sink = new StringWriter();
        switch (operation)
        {
            case "runtime floor":
                break;
            case "JsonDocument.Parse":
                using (var document = JsonDocument.Parse(await File.ReadAllBytesAsync(sessions)))
                {
                    exit = document.RootElement.EnumerateObject().Count() > 0 ? 0 : 1;
                }

                break;
            default:
                var args = operation.Split(' ')[0] == "inspect"
                    ? (operation.EndsWith("--json", StringComparison.Ordinal) ? ["inspect", folder, "--json"] : new[] { "inspect", folder })
                    : operation.EndsWith("--dry-run", StringComparison.Ordinal) ? ["compact", folder, "--dry-run"] : ["compact", folder];
                exit = await SessionKindsCli.RunAsync(args, sink, sink, TimeProvider.System, CancellationToken.None);
                break;
        }

        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (exit != 0)
        {
            await Console.Error.WriteLineAsync(sink.ToString());
            return exit;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measured {clock.Elapsed.TotalMilliseconds:0.0} {PeakRss()} {allocated}"));
        return 0;
    }

    /// <summary>The process's peak resident set (VmHWM on Linux; the peak working set elsewhere).</summary>
    private static long PeakRss()
    {
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64;
    }

    private static (int Files, long Bytes) Transcripts(string folder)
    {
        var files = new DirectoryInfo(folder).GetFiles("*.jsonl");
        return (files.Length, files.Sum(f => f.Length));
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
