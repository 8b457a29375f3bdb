using System.Diagnostics;
using System.Globalization;
using HeartbeatAgent;

var options = SimulationOptions.Parse(args, out var error);
if (options is null)
{
    if (error is not null)
    {
        Console.Error.WriteLine(error);
        return 2;
    }

    Console.WriteLine(SimulationOptions.Usage);
    return 0;
}

var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
var kindsFolders = new List<string>();
var naiveFolders = new List<string>();
var stopwatch = Stopwatch.StartNew();

Console.WriteLine($"Simulating {options.Agents} agent(s) for {options.Days} day(s) from {start:yyyy-MM-dd} (seed {options.Seed})...");
for (var agent = 1; agent <= options.Agents; agent++)
{
    var name = string.Create(CultureInfo.InvariantCulture, $"agent-{agent:00}");
    var kindsFolder = Path.Combine(options.OutputFolder, "sessionkinds", name);
    var naiveFolder = Path.Combine(options.OutputFolder, "naive", name);
    kindsFolders.Add(kindsFolder);
    naiveFolders.Add(naiveFolder);
    var clock = new SimulatedClock(start);
    var simulation = new AgentSimulation(name, kindsFolder, naiveFolder, clock, options.Seed + agent);
    await simulation.RunAsync(start, options.Days, CancellationToken.None);
}

var kinds = FolderReport.Measure(kindsFolders);
var naive = FolderReport.Measure(naiveFolders);

Console.WriteLine();
Console.WriteLine($"Agent folder written by SessionKinds: {kindsFolders[0]}");
Console.WriteLine($"Same workload persisted naively:      {naiveFolders[0]}");
Console.WriteLine();
ReportTable.Write(Console.Out, kinds, naive);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulated in {stopwatch.Elapsed.TotalSeconds:0.0} s."));
return 0;
