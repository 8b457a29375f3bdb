using Xunit.Abstractions;

namespace SessionKinds.Benchmarks.Tests;

/// <summary>
/// Runs <see cref="Smoke"/>: every benchmark case (every class, method and parameter value) once, in this process, with
/// BenchmarkDotNet's dry job. It fails when a setup, an operation or a clean-up throws, or when a case reports no
/// result; it never looks at how long anything took.
/// </summary>
public sealed class BenchmarkSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_benchmark_case_starts_and_finishes()
    {
        using var log = new StringWriter();
        IReadOnlyList<string> problems;
        try
        {
            problems = Smoke.Run(log);
        }
        finally
        {
            output.WriteLine(log.ToString());
        }

        Assert.True(problems.Count == 0, "Benchmark smoke run failed:\n" + string.Join("\n", problems));
    }
}
