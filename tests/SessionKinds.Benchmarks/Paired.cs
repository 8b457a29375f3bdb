using System.Globalization;
using System.Text;
using SessionKinds.Benchmarks.CompileTime;
using SessionKinds.Benchmarks.Runtime;

namespace SessionKinds.Benchmarks;

/// <summary>
/// <c>--paired [scale] [sections]</c>: the ratios of A, B, C and D measured again, interleaved in one process
/// (<see cref="Infrastructure.PairedRuns"/>), for a shared machine where BenchmarkDotNet's separate processes see
/// different loads. Rounds: 15 for A, 40 for B, 60 for C, 30 for D, times <c>scale</c> (the smoke run uses one round
/// each); <c>sections</c> picks some of them, e.g. <c>CD</c>.
/// </summary>
internal static class Paired
{
    public static string Run(double scale, string sections = "ABCD")
    {
        int Rounds(int full) => Math.Max(1, (int)Math.Round(full * scale));
        var text = new StringBuilder();
        if (sections.Contains('A', StringComparison.OrdinalIgnoreCase))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"A. Compile time, interleaved ({Rounds(15)} rounds)"));
            text.AppendLine(CompileTimeBenchmarks.MeasurePaired(Rounds(15)));
        }

        if (sections.Contains('B', StringComparison.OrdinalIgnoreCase))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"B. Incremental edits, interleaved ({Rounds(40)} rounds)"));
            text.AppendLine(IncrementalBenchmarks.MeasurePaired(Rounds(40)));
        }

        if (sections.Contains('C', StringComparison.OrdinalIgnoreCase))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"C. Heartbeat ack, interleaved ({Rounds(60)} rounds of 10 operations; naive: 10, 3, 1)"));
            text.AppendLine(HeartbeatAckBenchmarks.MeasurePaired(Rounds(60)));
        }

        if (sections.Contains('D', StringComparison.OrdinalIgnoreCase))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"D. Store load and save, 2,000 entries, interleaved ({Rounds(30)} rounds)"));
            text.AppendLine(StoreLoadSaveBenchmarks.MeasurePaired(Rounds(30)));
        }

        return text.ToString();
    }
}
