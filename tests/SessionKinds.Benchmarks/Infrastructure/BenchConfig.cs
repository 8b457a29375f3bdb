using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;

namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>
/// Columns and grouping every benchmark class shares (jobs come from <see cref="Program"/>, so the smoke run can swap them):
/// one logical group per category, each with one <c>Baseline = true</c> method, so every ratio is against a baseline
/// measured in the same run.
/// </summary>
public class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
        AddColumn(CategoriesColumn.Default);
        WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
    }
}

/// <summary>Runtime benchmarks also report the bytes each operation reads and writes, and how time grows with the store.</summary>
public sealed class RuntimeBenchConfig : BenchConfig
{
    public RuntimeBenchConfig()
    {
        AddColumn(IoColumn.Written, IoColumn.Read, ScaleRatioColumn.Instance);
    }
}
