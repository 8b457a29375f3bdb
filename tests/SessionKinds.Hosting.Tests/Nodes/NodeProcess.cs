using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionKinds.Generated;
using SessionKinds.Hosting.Tests.Infrastructure;

namespace SessionKinds.Hosting.Tests.Nodes;

/// <summary>
/// One host of the multi-process tests: the real scheduler on a <see cref="ScaledTimeProvider"/>, the five shard jobs, the
/// shared store (<c>--engine file|postgres --store &lt;folder or connection string&gt;</c>, <c>--schema</c> for
/// PostgreSQL). Each run writes <c>start</c> and <c>end</c> lines (task, occurrence, node) to a shared
/// log and takes <c>--run-ms</c> of simulated time. Runs until killed.
/// </summary>
internal static class NodeProcess
{
    public static readonly Type[] Shards = [typeof(ShardA), typeof(ShardB), typeof(ShardC), typeof(ShardD), typeof(ShardE)];

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => Array.IndexOf(args, "--" + name) is var i and >= 0 ? args[i + 1] : throw new ArgumentException($"--{name} is missing.", nameof(args));
        var node = Arg("node");
        var log = Arg("log") + "." + node; // one log per process: appends of several processes to one file could overwrite each other
        var time = new ScaledTimeProvider(
            DateTimeOffset.Parse(Arg("sim-start"), CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(Arg("real-start"), CultureInfo.InvariantCulture),
            double.Parse(Arg("speed"), CultureInfo.InvariantCulture));
        var runTime = TimeSpan.FromMilliseconds(double.Parse(Arg("run-ms"), CultureInfo.InvariantCulture));

        var behavior = new TaskBehavior();
        foreach (var shard in Shards)
        {
            behavior.Set(shard, async (context, ct) =>
            {
                var occurrence = shard.Name + " " + context.SessionKey[^16..];
                Append(log, "start " + occurrence + " " + node);
                await Task.Delay(runTime, time, ct);
                Append(log, "end " + occurrence + " " + node);
                return "ran " + context.SessionKey + " on " + node;
            });
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(behavior);
        var sessionKinds = builder.Services
            .AddSessionKinds(o =>
            {
                o.AgentId = "multi";
                o.NodeId = node;
                o.LeaseDuration = TimeSpan.FromMilliseconds(double.Parse(Arg("lease-ms"), CultureInfo.InvariantCulture));
                o.CatchUpWindow = TimeSpan.Zero;
            })
            .AddTasks(SessionTasks.All.Where(t => Shards.Contains(t.TaskType)));
        _ = Arg("engine") switch
        {
            "file" => sessionKinds.UseFileStore(Arg("store"), o => o.CronRunsToKeep = 1000),
            "postgres" => sessionKinds.UsePostgres(Arg("store"), o => { o.Schema = Arg("schema"); o.CronRunsToKeep = 1000; }),
            var engine => throw new ArgumentException($"No store engine \"{engine}\"; use file or postgres.", nameof(args)),
        };
        using var host = builder.Build();
        await host.StartAsync();
        Append(log, "ready " + node);
        await host.WaitForShutdownAsync();
        return 0;
    }

    private static readonly object LogGate = new();

    /// <summary>Appends one line to this process's log (runs of several jobs append at once: one at a time).</summary>
    private static void Append(string path, string line)
    {
        lock (LogGate)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
        }
    }
}
