using System.Globalization;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.Engines;

/// <summary>
/// <c>--engines [--sections lwb] [--rounds n] [--writers n] [--turns n] [--agents n] [--days n]</c>: the store engines
/// side by side in one run (<see cref="BenchEngines.All"/>):
/// <list type="bullet">
/// <item><c>l</c>: latency of a heartbeat ack and of a chat turn at 100, 2,000 and 20,000 sessions, per engine and for the
/// naive full rewrite, interleaved (<see cref="EngineLatencyReport"/>);</item>
/// <item><c>w</c>: throughput of concurrent writers per engine (<see cref="EngineWritersReport"/>);</item>
/// <item><c>b</c>: bytes on disk after the growth workload, per engine (<see cref="EngineBytesReport"/>).</item>
/// </list>
/// </summary>
internal static class EnginesCommand
{
    public const string Usage = "--engines [--sections lwb] [--rounds <n> (10)] [--writers <n> (16)] [--turns <n> (40)] [--agents <n> (10)] [--days <n> (90)]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        var sections = "lwb";
        int rounds = 10, writers = 16, turns = 40, agents = 10, days = 90;
        for (var i = 1; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--sections" when value is not null && value.All(c => c is 'l' or 'w' or 'b'):
                    sections = value;
                    i++;
                    break;
                case "--rounds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out rounds) && rounds >= 1:
                case "--writers" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out writers) && writers >= 1:
                case "--turns" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out turns) && turns >= 1:
                case "--agents" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out agents) && agents >= 1:
                case "--days" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out days) && days >= 1:
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"Unexpected '{args[i]}'. Usage: {Usage}");
                    return 2;
            }
        }

        output.WriteLine($"Engines: {string.Join(", ", BenchEngines.All.Select(e => e.Name))}; scratch folders under {BenchFolders.Root}");
        if (sections.Contains('l'))
        {
            output.WriteLine();
            output.WriteLine(await EngineLatencyReport.RunAsync([100, 2_000, 20_000], rounds));
        }

        if (sections.Contains('w'))
        {
            output.WriteLine();
            output.WriteLine(await EngineWritersReport.RunAsync(writers, turns, repetitions: 3));
        }

        if (sections.Contains('b'))
        {
            output.WriteLine();
            output.WriteLine(await EngineBytesReport.RunAsync(agents, days, seed: 42, output));
        }

        return 0;
    }
}
