using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.CompileTime;

/// <summary>
/// <c>--real-build [rounds]</c>: the 1,000-task project of A written to a temp folder and built with the real SDK
/// (<c>dotnet build --no-restore --no-incremental</c>, a fresh compiler process each time), in three variants per round,
/// in a shuffled order: the default build (the SDK's default analyzers, the SessionKinds generator and analyzers); the
/// same with every SessionKinds rule set to <c>none</c> in a global analyzer config (the compiler then skips those
/// analyzers, the generator still runs); and <c>RunAnalyzers=false</c> (no analyzer at all, the generator still runs).
/// Reports the median build time and the Csc task time (MSBuild's performance summary) with paired ratios.
/// </summary>
internal static partial class RealBuildReport
{
    private static readonly string[] Variants = ["default build", "SessionKinds analyzers off", "all analyzers off"];

    public static string Run(int rounds)
    {
        var folder = BenchFolders.Create("real-build");
        try
        {
            WriteProject(folder);
            Dotnet(folder, "restore");
            var wall = Variants.ToDictionary(v => v, _ => new List<double>());
            var csc = Variants.ToDictionary(v => v, _ => new List<double>());
            var random = new Random(1);
            for (var round = -1; round < rounds; round++)
            {
                foreach (var variant in Variants.OrderBy(_ => random.Next()))
                {
                    var arguments = "build --no-restore --no-incremental -c Release -clp:PerformanceSummary -nologo" + variant switch
                    {
                        "SessionKinds analyzers off" => " -p:SessionKindsRulesOff=true",
                        "all analyzers off" => " -p:RunAnalyzers=false",
                        _ => "",
                    };
                    var stopwatch = Stopwatch.StartNew();
                    var output = Dotnet(folder, arguments);
                    var elapsed = stopwatch.Elapsed.TotalMilliseconds;
                    if (round < 0)
                    {
                        continue; // warm-up round: disk cache, SDK resolution
                    }

                    wall[variant].Add(elapsed);
                    csc[variant].Add(CscMilliseconds(output));
                }
            }

            var text = new StringBuilder();
            text.AppendLine("| variant | median build ms | build / SessionKinds analyzers off | median Csc task ms | Csc / SessionKinds analyzers off | Csc / all analyzers off |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var variant in Variants)
            {
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {variant} | {Median(wall[variant]):0} | {Ratio(wall[variant], wall[Variants[1]])} | {Median(csc[variant]):0} | {Ratio(csc[variant], csc[Variants[1]])} | {Ratio(csc[variant], csc[Variants[2]])} |"));
            }

            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"({rounds} rounds after one warm-up round; ratios are medians of per-round ratios, range in brackets.)"));
            return text.ToString();
        }
        finally
        {
            BenchFolders.Delete(folder);
        }
    }

    private static void WriteProject(string folder)
    {
        var bin = AppContext.BaseDirectory;
        var ruleIds = Enumerable.Range(1, 20).Select(i => string.Create(CultureInfo.InvariantCulture, $"dotnet_diagnostic.SKND{i:0000}.severity = none"));
        File.WriteAllText(Path.Combine(folder, "sessionkinds-rules-off.globalconfig"), "is_global = true\n" + string.Join("\n", ruleIds) + "\n");
        File.WriteAllText(Path.Combine(folder, "Synthetic.Tasks.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <LangVersion>latest</LangVersion>
                <UseSharedCompilation>false</UseSharedCompilation>
                <GenerateDocumentationFile>false</GenerateDocumentationFile>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="SessionKinds" HintPath="{bin}SessionKinds.dll" />
                <Reference Include="Cronos" HintPath="{bin}Cronos.dll" />
                <Analyzer Include="{bin}SessionKinds.Generators.dll" />
                <Analyzer Include="{bin}Cronos.dll" />
                <GlobalAnalyzerConfigFiles Include="sessionkinds-rules-off.globalconfig" Condition="'$(SessionKindsRulesOff)' == 'true'" />
              </ItemGroup>
            </Project>
            """);
        for (var file = 0; file < SyntheticSources.FileCount; file++)
        {
            var path = Path.Combine(folder, SyntheticSources.TaskFilePath(file));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, SyntheticSources.TaskFile(file));
        }

        var unrelated = Path.Combine(folder, SyntheticSources.UnrelatedPath);
        Directory.CreateDirectory(Path.GetDirectoryName(unrelated)!);
        File.WriteAllText(unrelated, SyntheticSources.UnrelatedFile());
    }

    private static string Dotnet(string folder, string arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {arguments} failed in {folder}:\n{output}\n{stderr.Result}");
        }

        return output;
    }

    /// <summary>The Csc task's time from MSBuild's performance summary ("  1234 ms  Csc  1 calls").</summary>
    private static double CscMilliseconds(string output)
    {
        var match = CscLine().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The median of the per-round ratios, and their range.</summary>
    private static string Ratio(List<double> top, List<double> bottom)
    {
        var ratios = top.Zip(bottom, (a, b) => a / b).ToList();
        return ratios.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Median(ratios):0.00} [{ratios.Min():0.00}, {ratios.Max():0.00}]");
    }

    [GeneratedRegex(@"^\s*(\d+)\s+ms\s+Csc\s+\d+\s+calls", RegexOptions.Multiline)]
    private static partial Regex CscLine();
}
