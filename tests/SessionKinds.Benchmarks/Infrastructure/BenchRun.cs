namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>Settings of the current process's run that benchmark setups read.</summary>
internal static class BenchRun
{
    /// <summary>
    /// Set by the smoke run: setups do the least work that still exercises every path (for example one sample instead of
    /// twenty when measuring bytes per operation). Timing runs never set it.
    /// </summary>
    public static bool Quick { get; set; }

    /// <summary><paramref name="full"/> normally, <paramref name="quick"/> in a smoke run.</summary>
    public static int Count(int full, int quick) => Quick ? quick : full;
}
