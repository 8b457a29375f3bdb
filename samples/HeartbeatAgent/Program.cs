using System.Diagnostics;
using System.Globalization;
using HeartbeatAgent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionKinds;
using SessionKinds.Hosting;

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

if (options.Live)
{
    return await LiveAsync(options);
}

var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
var kindsFolders = new List<string>();
var naiveFolders = new List<string>();
var stopwatch = Stopwatch.StartNew();

Console.WriteLine($"Simulating {options.Agents} agent(s) for {options.Days} day(s) from {start:yyyy-MM-dd} (seed {options.Seed}): the Generic Host and the SessionKinds scheduler on a fast-forwarded clock...");
for (var agent = 1; agent <= options.Agents; agent++)
{
    var name = string.Create(CultureInfo.InvariantCulture, $"agent-{agent:00}");
    var kindsFolder = Path.Combine(options.OutputFolder, "sessionkinds", name);
    var naiveFolder = Path.Combine(options.OutputFolder, "naive", name);
    kindsFolders.Add(kindsFolder);
    naiveFolders.Add(naiveFolder);
    await using var simulation = new AgentSimulation(name, kindsFolder, naiveFolder, new SimulatedClock(start), options.Seed + agent);
    await simulation.RunAsync(start, options.Days, CancellationToken.None);
}

Report(kindsFolders, naiveFolders);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulated in {stopwatch.Elapsed.TotalSeconds:0.0} s."));
return 0;

// --live: one agent on the real clock; its heartbeat and cron jobs run when they are due, until Ctrl+C.
static async Task<int> LiveAsync(SimulationOptions options)
{
    var kindsFolder = Path.Combine(options.OutputFolder, "sessionkinds", "agent-01");
    var naiveFolder = Path.Combine(options.OutputFolder, "naive", "agent-01");
    await using var naive = new FileSessionStore(naiveFolder);
    var builder = Host.CreateApplicationBuilder();
    builder.Services.AddSingleton(new ScriptedModel(options.Seed + 1));
    builder.Services.AddSingleton(new NaiveMirror(naive));
    builder.Services
        .AddSessionKinds(o => o.AgentId = "agent-01")
        .AddGeneratedTasks()
        .UseFileStore(kindsFolder);
    using var host = builder.Build();
    await host.StartAsync();
    Console.WriteLine("Running agent-01 on the real clock; press Ctrl+C to stop.");
    foreach (var task in host.Services.GetRequiredService<SessionKindsStatus>().Tasks)
    {
        Console.WriteLine($"  {task.Task,-28} {task.Schedule,-32} next {task.NextOccurrence:u}");
    }

    await host.WaitForShutdownAsync();
    Report([kindsFolder], [naiveFolder]);
    return 0;
}

static void Report(List<string> kindsFolders, List<string> naiveFolders)
{
    var kinds = FolderReport.Measure(kindsFolders.Where(Directory.Exists));
    var naive = FolderReport.Measure(naiveFolders.Where(Directory.Exists));
    Console.WriteLine();
    Console.WriteLine($"Agent folder written by SessionKinds: {kindsFolders[0]}");
    Console.WriteLine($"Same workload persisted naively:      {naiveFolders[0]}");
    Console.WriteLine();
    ReportTable.Write(Console.Out, kinds, naive);
    Console.WriteLine();
}
