using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using SessionKinds.Generators.Diagnostics;
using SessionKinds.Generators.Tests.Infrastructure;
using SessionKinds.Testing;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>Every descriptor is public contract: ID, severity, docs page, release tracking line, reporting analyzer.</summary>
public sealed partial class DescriptorTests
{
    public static TheoryData<string> DescriptorIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in AllDescriptors())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    private static IReadOnlyList<DiagnosticDescriptor> AllDescriptors() =>
        [.. typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)];

    private static DiagnosticDescriptor Descriptor(string id) => AllDescriptors().Single(d => d.Id == id);

    [Fact]
    public void Severities_match_the_design_table()
    {
        var expected = new Dictionary<string, DiagnosticSeverity>
        {
            ["SKND0001"] = DiagnosticSeverity.Error,
            ["SKND0002"] = DiagnosticSeverity.Error,
            ["SKND0003"] = DiagnosticSeverity.Error,
            ["SKND0004"] = DiagnosticSeverity.Error,
            ["SKND0005"] = DiagnosticSeverity.Error,
            ["SKND0006"] = DiagnosticSeverity.Error,
            ["SKND0007"] = DiagnosticSeverity.Warning,
            ["SKND0008"] = DiagnosticSeverity.Error,
            ["SKND0009"] = DiagnosticSeverity.Error,
            ["SKND0010"] = DiagnosticSeverity.Warning,
            ["SKND0011"] = DiagnosticSeverity.Error,
            ["SKND0012"] = DiagnosticSeverity.Error,
            ["SKND0013"] = DiagnosticSeverity.Error,
            ["SKND0014"] = DiagnosticSeverity.Error,
            ["SKND0015"] = DiagnosticSeverity.Warning,
            ["SKND0016"] = DiagnosticSeverity.Warning,
        };
        Assert.Equal(expected, AllDescriptors().ToDictionary(d => d.Id, d => d.DefaultSeverity));
        Assert.All(AllDescriptors(), d => Assert.True(d.IsEnabledByDefault, d.Id));
    }

    [Fact]
    public void Every_id_constant_has_exactly_one_descriptor()
    {
        var ids = typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetRawConstantValue()!).Order().ToList();
        Assert.Equal(ids, AllDescriptors().Select(d => d.Id).Order().ToList());
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Help_link_points_at_an_existing_docs_page(string id)
    {
        var descriptor = Descriptor(id);
        Assert.Equal($"https://github.com/sessionkinds/sessionkinds/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        Assert.Equal(DiagnosticDescriptors.HelpLink(id), descriptor.HelpLinkUri);
        Assert.True(File.Exists(RepositoryPaths.Get($"docs/diagnostics/{id}.md")), $"docs/diagnostics/{id}.md is missing");
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Docs_page_has_every_section_and_states_the_severity(string id)
    {
        var page = File.ReadAllText(RepositoryPaths.Get($"docs/diagnostics/{id}.md"));
        var descriptor = Descriptor(id);
        Assert.StartsWith($"# {id}: {descriptor.Title}", page, StringComparison.Ordinal);
        foreach (var heading in new[] { "## What it means", "## Why", "## Example that fails", "## Fixed", "## How to fix", "## How to suppress" })
        {
            Assert.Contains("\n" + heading + "\n", page, StringComparison.Ordinal);
        }

        var severity = descriptor.DefaultSeverity == DiagnosticSeverity.Error ? "Error" : "Warning";
        Assert.Contains($"| Severity | {severity} |", page, StringComparison.Ordinal);
        Assert.Contains($"#pragma warning disable {id}", page, StringComparison.Ordinal);
        Assert.Contains($"dotnet_diagnostic.{id}.severity", page, StringComparison.Ordinal);
        Assert.Contains("```csharp", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Release_tracking_lists_the_rule_with_its_category_and_severity(string id)
    {
        var descriptor = Descriptor(id);
        var unshipped = File.ReadAllLines(RepositoryPaths.Get("src/SessionKinds.Generators/AnalyzerReleases.Unshipped.md"));
        var shipped = File.ReadAllLines(RepositoryPaths.Get("src/SessionKinds.Generators/AnalyzerReleases.Shipped.md"));
        var line = unshipped.Concat(shipped).SingleOrDefault(l => l.StartsWith(id + " ", StringComparison.Ordinal));
        Assert.NotNull(line);
        var cells = line!.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Every_descriptor_is_reported_by_exactly_one_analyzer(string id)
    {
        var reporters = SessionKindsComponents.CreateAnalyzers().Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).ToList();
        Assert.Single(reporters);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Title_and_message_follow_the_style(string id)
    {
        var descriptor = Descriptor(id);
        var title = descriptor.Title.ToString();
        var message = descriptor.MessageFormat.ToString();
        Assert.False(title.EndsWith('.'), title);
        Assert.False(message.EndsWith('.'), message);
        Assert.Equal(DiagnosticDescriptors.Category, descriptor.Category);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));

        // Messages name the type (or the argument) through a placeholder; what to do is checked on real messages below.
        Assert.Contains("{0}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_reported_message_names_its_subject_and_says_what_to_do()
    {
        var source = await File.ReadAllTextAsync(RepositoryPaths.Get("tests/SessionKinds.Generators.Tests/Analyzers/Robustness/RealisticTasks.cs.txt"));
        using var harness = new AnalyzerHarness(SessionKindsComponents.CreateAnalyzers(), [], TestSources.Prelude);
        var result = await harness.RunAsync(source, runFixes: false, CancellationToken.None);
        var diagnostics = result.Diagnostics.Where(d => d.Id.StartsWith("SKND", StringComparison.Ordinal)).ToList();
        Assert.Equal(AllDescriptors().Select(d => d.Id).Order(), diagnostics.Select(d => d.Id).Distinct().Order());
        foreach (var diagnostic in diagnostics)
        {
            var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Matches(ActionWords(), message);
            Assert.Matches(@"'[A-Za-z_][\w.<>]*'", message);
            Assert.DoesNotContain("{", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Compilation_end_rules_carry_the_compilation_end_tag()
    {
        Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, Descriptor(DiagnosticIds.SharedHeartbeatRing).CustomTags);
        Assert.All(AllDescriptors().Where(d => d.Id != DiagnosticIds.SharedHeartbeatRing), d => Assert.DoesNotContain(WellKnownDiagnosticTags.CompilationEnd, d.CustomTags));
    }

    [Fact]
    public void Every_code_fix_provider_is_exported_shared_and_uses_the_batch_fixer()
    {
        var providers = SessionKindsComponents.CreateCodeFixProviders();
        Assert.Equal(7, providers.Count);
        var fixable = providers.SelectMany(p => p.FixableDiagnosticIds).Order().ToList();
        Assert.Equal(["SKND0001", "SKND0002", "SKND0003", "SKND0004", "SKND0007", "SKND0010", "SKND0012", "SKND0013", "SKND0014"], fixable);
        foreach (var provider in providers)
        {
            var type = provider.GetType();
            var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
            Assert.NotNull(export);
            Assert.Equal([LanguageNames.CSharp], export!.Languages);
            Assert.NotNull(type.GetCustomAttribute<System.Composition.SharedAttribute>());
            Assert.Same(WellKnownFixAllProviders.BatchFixer, provider.GetFixAllProvider());
        }
    }

    [GeneratedRegex(@"\b(add|keep|remove|pass|set|give|use|write|implement|move)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ActionWords();
}
