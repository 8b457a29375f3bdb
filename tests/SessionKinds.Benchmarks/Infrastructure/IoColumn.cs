using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>A summary column with the bytes one operation writes (or reads), as measured by <see cref="IoPerOperation"/>.</summary>
internal sealed class IoColumn(bool written) : IColumn
{
    public static readonly IColumn Written = new IoColumn(written: true);
    public static readonly IColumn Read = new IoColumn(written: false);

    public string Id => written ? "IoWritten" : "IoRead";

    public string ColumnName => written ? "Written/op" : "Read/op";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => written ? 0 : 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Size;

    public string Legend => written
        ? "Bytes passed to write system calls per operation (/proc/self/io wchar), measured in the benchmark's setup"
        : "Bytes passed to read system calls per operation (/proc/self/io rchar), measured in the benchmark's setup";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var key = IoPerOperation.Key(
            benchmarkCase.Descriptor.Type.Name, benchmarkCase.Descriptor.WorkloadMethod.Name, benchmarkCase.Parameters.PrintInfo);
        if (IoPerOperation.Find(key) is not { } io)
        {
            return "-";
        }

        var bytes = written ? io.Written : io.Read;
        return double.IsNaN(bytes) ? "n/a" : Format(bytes);
    }

    /// <summary>Bytes with a unit that keeps three significant figures: 1,234 B, 12.3 KB, 1.23 MB (1 KB = 1,024 B).</summary>
    public static string Format(double bytes) => bytes switch
    {
        < 10_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B"),
        < 10_000 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:N1} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):N2} MB"),
    };

    public override string ToString() => ColumnName;
}
