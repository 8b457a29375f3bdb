using System.Globalization;
using System.Text;
using SessionKinds.Benchmarks.CompileTime;
using SessionKinds.Benchmarks.Runtime;

namespace SessionKinds.Benchmarks;

/// <summary>
/// <c>--paired [scale]</c>: the ratios of A, B, C and D measured again, interleaved in one process
/// (<see cref="Infrastructure.PairedRuns"/>), for a shared machine where BenchmarkDotNet's separate processes see
/// different loads. Rounds: 15 for A, 40 for B, 60 for C, 30 for D, times <c>scale</c> (the smoke run uses one round each).
/// </summary>
internal static class Paired
{
    public static string Run(double scale)
    {
        int Rounds(int full) => Math.Max(1, (int)Math.Round(full * scale));
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"A. Compile time, interleaved ({Rounds(15)} rounds)"));
        text.AppendLine(CompileTimeBenchmarks.MeasurePaired(Rounds(15)));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"B. Incremental edits, interleaved ({Rounds(40)} rounds)"));
        text.AppendLine(IncrementalBenchmarks.MeasurePaired(Rounds(40)));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"C. Heartbeat ack, interleaved ({Rounds(60)} rounds of 10 operations; naive: 10, 3, 1)"));
        text.AppendLine(HeartbeatAckBenchmarks.MeasurePaired(Rounds(60)));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"D. Store load and save, 2,000 entries, interleaved ({Rounds(30)} rounds)"));
        text.AppendLine(StoreLoadSaveBenchmarks.MeasurePaired(Rounds(30)));
        return text.ToString();
    }
}
