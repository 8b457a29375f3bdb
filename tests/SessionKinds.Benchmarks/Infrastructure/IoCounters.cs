using System.Globalization;

namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>
/// This process's I/O counters from <c>/proc/self/io</c>: <c>wchar</c> and <c>rchar</c> are the bytes passed to write and
/// read system calls (page cache included, so a file written and read back counts, whatever the disk does later).
/// </summary>
internal readonly record struct IoCounters(long BytesRead, long BytesWritten, long WriteCalls)
{
    /// <summary>Whether the counters exist here (Linux); elsewhere the I/O columns show "n/a".</summary>
    public static bool Available { get; } = File.Exists("/proc/self/io");

    public static IoCounters Now()
    {
        if (!Available)
        {
            return default;
        }

        long read = 0, written = 0, calls = 0;
        foreach (var line in File.ReadLines("/proc/self/io"))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            var value = long.Parse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (line.AsSpan(0, colon))
            {
                case "rchar": read = value; break;
                case "wchar": written = value; break;
                case "syscw": calls = value; break;
            }
        }

        return new IoCounters(read, written, calls);
    }

    public static IoCounters operator -(IoCounters a, IoCounters b) =>
        new(a.BytesRead - b.BytesRead, a.BytesWritten - b.BytesWritten, a.WriteCalls - b.WriteCalls);
}
