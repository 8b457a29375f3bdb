using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>
/// A second ratio beside BenchmarkDotNet's baseline ratio: each case's mean time (or allocation) divided by that of
/// <paramref name="method"/> of the same class, same parameters and job, measured in the same run.
/// </summary>
internal sealed class RatioToMethodColumn(string method, string columnName, bool allocations) : IColumn
{
    public string Id => $"{nameof(RatioToMethodColumn)}.{method}.{allocations}";

    public string ColumnName => columnName;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => allocations ? 11 : 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => allocations
        ? $"Allocated bytes of this case / allocated bytes of {method}, same run"
        : $"Mean of this case / mean of {method}, same run";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => c.Descriptor.WorkloadMethod.Name == method);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var reference = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == benchmarkCase.Descriptor.Type
            && c.Descriptor.WorkloadMethod.Name == method
            && c.Job == benchmarkCase.Job
            && c.Parameters.PrintInfo == benchmarkCase.Parameters.PrintInfo);
        if (reference is null || summary[benchmarkCase] is not { } mine || summary[reference] is not { } theirs)
        {
            return "-";
        }

        if (allocations)
        {
            var a = mine.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
            var b = theirs.GcStats.GetBytesAllocatedPerOperation(reference);
            return a is long x && b is long y && y > 0 ? (x / (double)y).ToString("0.00", CultureInfo.InvariantCulture) : "-";
        }

        return mine.ResultStatistics is { } m && theirs.ResultStatistics is { } t && t.Mean > 0
            ? (m.Mean / t.Mean).ToString("0.00", CultureInfo.InvariantCulture)
            : "-";
    }

    public override string ToString() => ColumnName;
}
