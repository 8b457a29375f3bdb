using System.Diagnostics;
using System.Globalization;
using System.Text;
using HeartbeatAgent;
using SessionKinds.Benchmarks.Infrastructure;
using SessionKinds.Benchmarks.Runtime;

namespace SessionKinds.Benchmarks.Engines;

/// <summary>
/// Throughput of concurrent writers per engine: <c>writers</c> tasks, each with its own store on the same agent (as
/// separate hosts or processes would have), each completing <c>turns</c> chat turns of its own session, each followed by
/// a heartbeat ack, on an agent seeded with 100 gateway-shaped entries. Every completion is durable when it returns.
/// Each engine runs <c>repetitions</c> times on a fresh agent, alternating engines; the median run is reported.
/// </summary>
internal static class EngineWritersReport
{
    public static async Task<string> RunAsync(int writers, int turns, int repetitions)
    {
        var gateway = BenchFolders.Create("writers-gateway");
        try
        {
            File.WriteAllBytes(Path.Combine(gateway, "sessions.json"), GatewayStore.Create(100));
            var results = BenchEngines.All.Where(e => !e.IsVariant).ToDictionary(e => e.Name, _ => new List<TimeSpan>());
            for (var repetition = 0; repetition < repetitions; repetition++)
            {
                foreach (var engine in BenchEngines.All.Where(e => !e.IsVariant))
                {
                    results[engine.Name].Add(await RunOnceAsync(engine, gateway, writers, turns));
                }
            }

            var completions = writers * turns * 2;
            var table = new StringBuilder();
            table.AppendLine(CultureInfo.InvariantCulture, $"{writers} concurrent writers (a store each, one agent) x {turns} chat turns + {turns} acks each = {completions:N0} completions; median of {repetitions} runs:");
            table.AppendLine();
            table.AppendLine("| engine | wall s (runs) | completions / s | ms per completion (wall / completions) |");
            table.AppendLine("|---|---:|---:|---:|");
            foreach (var (engine, times) in results)
            {
                var median = times.Order().ElementAt(times.Count / 2);
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {engine} | {median.TotalSeconds:0.00} ({string.Join(", ", times.Select(t => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))}) | {completions / median.TotalSeconds:N0} | {median.TotalMilliseconds / completions:0.00} |");
            }

            return table.ToString();
        }
        finally
        {
            BenchFolders.Delete(gateway);
        }
    }

    private static async Task<TimeSpan> RunOnceAsync(BenchEngine engine, string gateway, int writers, int turns)
    {
        var work = BenchFolders.Create($"writers-{engine.Name}");
        try
        {
            await engine.SeedAsync(work, "main", gateway);
            var stores = new List<SessionStore>(writers);
            for (var w = 0; w < writers; w++)
            {
                stores.Add(await engine.OpenAsync(work, "main"));
            }

            try
            {
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
                {
                    for (var i = 0; i < turns; i++)
                    {
                        await store.CompleteAsync(store.StartSession(SessionKind.User, $"agent:main:writer:{w}", $"question {i}"), $"answer {i}");
                        await store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:heartbeat"), "HEARTBEAT_OK");
                    }
                })));
                var elapsed = clock.Elapsed;
                var state = await stores[0].ReadHeartbeatStateAsync();
                if (state.ConsecutiveOks != writers * turns)
                {
                    throw new InvalidOperationException($"{engine.Name}: {state.ConsecutiveOks} acks counted, expected {writers * turns}.");
                }

                return elapsed;
            }
            finally
            {
                foreach (var store in stores)
                {
                    await store.DisposeAsync();
                }
            }
        }
        finally
        {
            BenchFolders.Delete(work);
        }
    }
}
