using System.Diagnostics;
using System.Globalization;
using SessionKinds.Hosting.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionKinds.Hosting.Tests.Nodes;

/// <summary>
/// Three host processes share one store — an agent folder (nodes on one machine) or one PostgreSQL database (nodes on
/// several machines) — and their clocks run 30 times faster than real time from a shared instant (a simulated minute in
/// two seconds, slow enough that a busy test machine does not stall a node past its lease). Five jobs run every minute for
/// 40 minutes: 200 occurrences. One node is killed (SIGKILL) in the middle of a run.
/// </summary>
public sealed class MultiProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int Minutes = 40;
    private const int Speed = 30;
    private static readonly DateTimeOffset SimulatedStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly List<Process> _nodes = [];

    [SkippableTheory]
    [InlineData("file")]
    [InlineData("postgres")]
    public async Task Three_processes_run_each_of_200_occurrences_exactly_once_and_take_over_a_killed_nodes_run(string engine)
    {
        var store = SharedStore.Create(engine, _folder);
        var log = _folder.Sub("runs.log");
        var realStart = DateTimeOffset.UtcNow.AddSeconds(10); // time for three processes to start and open the store
        for (var i = 1; i <= 3; i++)
        {
            _nodes.Add(StartNode("node-" + i, store, log, realStart));
        }

        // Kill node-2 while it runs an occurrence (a start line of its own without an end line), after minute 10.
        string? killed = null;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (killed is null && DateTime.UtcNow < deadline)
        {
            var lines = ReadLog(log);
            var open = lines.Where(l => l.Kind == "start" && l.Node == "node-2" && l.Minute >= 10)
                .FirstOrDefault(s => !lines.Any(e => e.Kind == "end" && e.Occurrence == s.Occurrence && e.Node == "node-2"));
            if (open is not null)
            {
                _nodes[1].Kill();
                await _nodes[1].WaitForExitAsync();
                killed = open.Occurrence;
            }
            else
            {
                await Task.Delay(5);
            }
        }

        Assert.NotNull(killed);

        // The remaining two run to the end: until the store holds a done claim for every occurrence (a run's end line is
        // written before its completion is committed, so the log alone cannot tell).
        var expected = NodeProcess.Shards.SelectMany(s => Enumerable.Range(1, Minutes).Select(m => s.Name + " " + Stamp(m))).ToHashSet();
        var end = realStart.UtcDateTime.AddSeconds((Minutes * 60 / Speed) + 60); // the last minute, plus leases and runs
        while (DateTime.UtcNow < end && (await store.ReadDoneClaimsAsync()).Count(c => expected.Contains(OccurrenceOf(c))) < expected.Count)
        {
            await Task.Delay(500);
        }

        foreach (var node in _nodes.Where(n => !n.HasExited))
        {
            node.Kill();
            await node.WaitForExitAsync();
        }

        // Read through a store first: opening it finishes a commit a kill may have cut between its renames.
        var runs = await store.ReadCronRunsAsync();
        var done = (await store.ReadDoneClaimsAsync()).Where(c => expected.Contains(OccurrenceOf(c))).ToList();
        var outputs = runs
            .Where(r => r.Verdict == CronRunVerdict.Output)
            .Select(r => (Occurrence: OccurrenceOfSummary(r.Summary), Node: r.Summary.Split(' ')[^1]))
            .Where(o => expected.Contains(o.Occurrence))
            .ToList();
        var all = ReadLog(log);
        var starts = all.Where(l => l.Kind == "start" && expected.Contains(l.Occurrence)).GroupBy(l => l.Occurrence).ToDictionary(g => g.Key, g => g.Count());
        var attempts = done.GroupBy(OccurrenceOf).ToDictionary(g => g.Key, g => g.Max(c => c.Attempt));

        output.WriteLine("lines of the killed occurrence: " + string.Join(" | ", all.Where(l => l.Occurrence == killed)));
        output.WriteLine($"occurrences {expected.Count}; done claims {done.Count}, distinct {attempts.Count}, taken over (attempt > 1) {done.Count(c => c.Attempt > 1)}; " +
            $"output records {outputs.Count}, distinct {outputs.Select(o => o.Occurrence).Distinct().Count()}; skipped {runs.Count(r => r.Verdict == CronRunVerdict.Skipped)}; " +
            $"started more than once {starts.Count(p => p.Value > 1)}; killed mid-run: {killed}; outputs by node {string.Join(", ", outputs.GroupBy(o => o.Node).OrderBy(g => g.Key).Select(g => g.Key + "=" + g.Count()))}; " +
            "missing: " + string.Join(", ", expected.Where(e => !attempts.ContainsKey(e))));

        // Each occurrence completed once in the store: one done claim and one output record, written by a node that ran it.
        Assert.Equal(expected.Count, done.Count);
        Assert.Equal(expected.Order(), attempts.Keys.Order());
        Assert.Equal(expected.Order(), outputs.Select(o => o.Occurrence).Order());
        Assert.All(outputs, o => Assert.Contains(all, l => l.Kind == "end" && l.Occurrence == o.Occurrence && l.Node == o.Node));

        // An occurrence started again only after a lease ran out: never more starts than claim attempts.
        Assert.All(starts, pair => Assert.True(pair.Value <= attempts[pair.Key], $"{pair.Key} started {pair.Value} times on attempt {attempts[pair.Key]}"));

        // The killed node's run never ended; another node took the occurrence over and completed it.
        Assert.Contains(all, l => l.Kind == "start" && l.Occurrence == killed && l.Node == "node-2");
        Assert.True(attempts[killed] >= 2, $"the killed occurrence was completed on attempt {attempts[killed]}");
        Assert.NotEqual("node-2", outputs.Single(o => o.Occurrence == killed).Node);
    }

    private static string Stamp(int minute) => Stamp(SimulatedStart.AddMinutes(minute));

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    // Task "SessionKinds.Hosting.Tests.Nodes.ShardA" due 00:01 → "ShardA 20260105T000100Z"
    private static string OccurrenceOf(DoneClaim claim) => claim.Task[(claim.Task.LastIndexOf('.') + 1)..] + " " + Stamp(claim.At);

    // "ran agent:multi:cron:shard-a:run:20260105T000100Z on node-1" → "ShardA 20260105T000100Z"
    private static string OccurrenceOfSummary(string summary)
    {
        var parts = summary.Split(' ')[1].Split(':');
        return "Shard" + char.ToUpperInvariant(parts[3][^1]) + " " + parts[5];
    }

    /// <summary>The lines of every node's log (<c>&lt;log&gt;.&lt;node&gt;</c>).</summary>
    private static List<LogLine> ReadLog(string path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text.Append(reader.ReadToEnd());
        }

        var lines = new List<LogLine>();
        foreach (var line in text.ToString().Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length == 4)
            {
                var minute = (int)(DateTimeOffset.ParseExact(parts[2], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) - SimulatedStart).TotalMinutes;
                lines.Add(new LogLine(parts[0], parts[1] + " " + parts[2], parts[3], minute));
            }
        }

        return lines;
    }

    private Process StartNode(string node, SharedStore store, string log, DateTimeOffset realStart)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            typeof(NodeProcess).Assembly.Location, "node", "--node", node, "--log", log,
            "--sim-start", SimulatedStart.ToString("o", CultureInfo.InvariantCulture), "--real-start", realStart.ToString("o", CultureInfo.InvariantCulture),
            "--speed", Speed.ToString(CultureInfo.InvariantCulture), "--lease-ms", "45000", "--run-ms", "5000",
        }.Concat(store.NodeArguments))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine(node + ": " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public void Dispose()
    {
        foreach (var node in _nodes.Where(n => !n.HasExited))
        {
            node.Kill();
        }

        _folder.Dispose();
    }

    private sealed record LogLine(string Kind, string Occurrence, string Node, int Minute);
}
