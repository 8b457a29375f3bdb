using System.Diagnostics;
using System.Globalization;

namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>
/// Interleaved measurement, for figures that BenchmarkDotNet's one-process-per-case runs cannot pin down on a shared
/// machine: disk flush latency (heavy-tailed, drifting by a factor of several within minutes) and CPU time stolen by
/// other builds. Every round runs every operation (in a shuffled order, a few times each) and times each invocation;
/// an operation's figure is the median of all its invocations, and a ratio is a ratio of medians measured side by side,
/// with a 95% bootstrap interval (rounds resampled, the same rounds for both sides). Slow drift then cancels out.
/// </summary>
internal sealed class PairedRuns
{
    private const int BootstrapSamples = 2_000;

    private readonly Dictionary<Operation, List<double[]>> _times;
    private readonly Dictionary<Operation, List<double[]>> _cpu;
    private readonly Random _random;

    private PairedRuns(Dictionary<Operation, List<double[]>> times, Dictionary<Operation, List<double[]>> cpu, Random random)
    {
        _times = times;
        _cpu = cpu;
        _random = random;
    }

    /// <summary>One measured operation, run <paramref name="PerRound"/> times in each round.</summary>
    public sealed record Operation(string Name, Action Run, int PerRound = 1);

    /// <summary>A ratio of medians and its 95% bootstrap interval.</summary>
    public readonly record struct Interval(double Value, double Low, double High)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value:0.00} [{Low:0.00}, {High:0.00}]");
    }

    public static PairedRuns Measure(IReadOnlyList<Operation> operations, int rounds, int seed = 1)
    {
        var random = new Random(seed);
        var times = operations.ToDictionary(o => o, _ => new List<double[]>(rounds));
        var cpu = operations.ToDictionary(o => o, _ => new List<double[]>(rounds));
        foreach (var operation in operations)
        {
            operation.Run(); // warm up: JIT, caches
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var operation in operations.OrderBy(_ => random.Next()))
            {
                var samples = new double[operation.PerRound];
                var cpuSamples = new double[operation.PerRound];
                for (var i = 0; i < samples.Length; i++)
                {
                    var cpuStart = Environment.CpuUsage.TotalTime;
                    var start = Stopwatch.GetTimestamp();
                    operation.Run();
                    samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    cpuSamples[i] = (Environment.CpuUsage.TotalTime - cpuStart).TotalMilliseconds;
                }

                times[operation].Add(samples);
                cpu[operation].Add(cpuSamples);
            }
        }

        return new PairedRuns(times, cpu, random);
    }

    /// <summary>Median wall-clock time of one invocation.</summary>
    public double MedianMs(Operation operation) => Median(_times[operation].SelectMany(s => s));

    public double MeanMs(Operation operation) => _times[operation].SelectMany(s => s).Average();

    /// <summary>
    /// Median CPU time of one invocation: this process's user + system time over the invocation, every thread included
    /// (the compiler's concurrent phases, the GC). Unlike wall time it does not grow when other processes take the cores,
    /// so it is the steadier measure of CPU-bound work on a shared machine; it does not count time spent waiting for a disk.
    /// </summary>
    public double MedianCpuMs(Operation operation) => Median(_cpu[operation].SelectMany(s => s));

    /// <summary>median(<paramref name="numerator"/>) / median(<paramref name="denominator"/>), with its bootstrap interval; wall time, or CPU time when <paramref name="cpu"/>.</summary>
    public Interval Ratio(Operation numerator, Operation denominator, bool cpu = false)
    {
        if (numerator == denominator)
        {
            return new Interval(1, 1, 1);
        }

        var source = cpu ? _cpu : _times;
        var top = source[numerator];
        var bottom = source[denominator];
        var value = Median(top.SelectMany(s => s)) / Median(bottom.SelectMany(s => s));
        var rounds = top.Count;
        var estimates = new double[BootstrapSamples];
        var a = new List<double>();
        var b = new List<double>();
        for (var i = 0; i < estimates.Length; i++)
        {
            a.Clear();
            b.Clear();
            for (var r = 0; r < rounds; r++)
            {
                var pick = _random.Next(rounds);
                a.AddRange(top[pick]);
                b.AddRange(bottom[pick]);
            }

            estimates[i] = Median(a) / Median(b);
        }

        Array.Sort(estimates);
        return new Interval(value, estimates[(int)(0.025 * (estimates.Length - 1))], estimates[(int)(0.975 * (estimates.Length - 1))]);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
