using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>
/// Flatness: each case's mean time divided by the mean time of the same method with the smallest value of the
/// benchmark's (single) parameter, measured in the same run. 1.00 everywhere means the cost does not grow with it.
/// </summary>
internal sealed class ScaleRatioColumn : IColumn
{
    public static readonly IColumn Instance = new ScaleRatioColumn();

    public string Id => nameof(ScaleRatioColumn);

    public string ColumnName => "vs smallest";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 2;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Mean of this case / mean of the same method at the smallest parameter value, same run (flat = 1.00)";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => c.HasParameters);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (!benchmarkCase.HasParameters || summary[benchmarkCase]?.ResultStatistics is not { } mine)
        {
            return "-";
        }

        var name = benchmarkCase.Parameters.Items[0].Name;
        var smallest = summary.BenchmarksCases
            .Where(c => c.Descriptor == benchmarkCase.Descriptor && c.Job == benchmarkCase.Job)
            .OrderBy(c => Convert.ToDouble(c.Parameters[name], CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return smallest is null || summary[smallest]?.ResultStatistics is not { } baseline
            ? "-"
            : (mine.Mean / baseline.Mean).ToString("0.00", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
