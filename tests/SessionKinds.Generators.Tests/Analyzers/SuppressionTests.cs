using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>Users can change or silence every rule with .editorconfig, #pragma and [SuppressMessage], as the docs pages say.</summary>
public sealed class SuppressionTests
{
    private const string UselessAttribute = """
        using SessionKinds;

        [UserSession]
        public class {|#0:Settings|}
        {
        }
        """;

    private static SessionKindsAnalyzerTest WithEditorConfig(string source, string settings)
    {
        var test = new SessionKindsAnalyzerTest(source);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + settings + "\n"));
        return test;
    }

    [Fact]
    public Task Warning_is_reported_without_configuration() =>
        SessionKindsAnalyzerTest.VerifyAsync(UselessAttribute, new DiagnosticResult("SKND0007", DiagnosticSeverity.Warning).WithLocation(0));

    [Fact]
    public Task EditorConfig_severity_none_silences_a_rule() =>
        WithEditorConfig(UselessAttribute.Replace("{|#0:Settings|}", "Settings", StringComparison.Ordinal), "dotnet_diagnostic.SKND0007.severity = none").RunAsync();

    // Raising a severity and category-wide settings are checked on a real workspace with an .editorconfig, as
    // the compiler and the IDE apply them: in the testing library's compilations these two settings do not
    // take effect (it configures the severity of the rules under test itself).
    [Fact]
    public async Task EditorConfig_can_raise_a_warning_to_an_error()
    {
        var result = await AnalyzeWithEditorConfigAsync(UselessAttribute, "dotnet_diagnostic.SKND0007.severity = error");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("SKND0007", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
    }

    [Fact]
    public async Task Without_editorconfig_the_warning_stays_a_warning()
    {
        var result = await AnalyzeWithEditorConfigAsync(UselessAttribute, "# nothing configured");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("SKND0007", DiagnosticSeverity.Warning), (diagnostic.Id, diagnostic.Severity));
    }

    [Fact]
    public async Task EditorConfig_category_severity_applies_to_every_rule()
    {
        var source = $$"""
            using SessionKinds;

            [UserSession]
            public class Settings
            {
            }

            public partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }
            """;
        var unconfigured = await AnalyzeWithEditorConfigAsync(source, "# nothing configured");
        Assert.Equal(["SKND0001", "SKND0007"], unconfigured.Diagnostics.Select(d => d.Id).Order());

        var silenced = await AnalyzeWithEditorConfigAsync(source, "dotnet_analyzer_diagnostic.category-SessionKinds.severity = none");
        Assert.Empty(silenced.Diagnostics);

        var raised = await AnalyzeWithEditorConfigAsync(source, "dotnet_analyzer_diagnostic.category-SessionKinds.severity = error");
        Assert.All(raised.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Equal(2, raised.Diagnostics.Length);
    }

    private static async Task<HarnessResult> AnalyzeWithEditorConfigAsync(string markupFreeSource, string settings)
    {
        var source = markupFreeSource.Replace("{|#0:", string.Empty, StringComparison.Ordinal).Replace("|}", string.Empty, StringComparison.Ordinal);
        using var harness = new AnalyzerHarness(SessionKindsComponents.CreateAnalyzers(), [], Prelude, "root = true\n\n[*.cs]\n" + settings + "\n");
        var result = await harness.RunAsync(source, runFixes: false, CancellationToken.None);
        Assert.Empty(result.Failures);
        return result with { Diagnostics = [.. result.Diagnostics.Where(d => d.Id.StartsWith("SKND", StringComparison.Ordinal) && !d.IsSuppressed)] };
    }

    [Fact]
    public Task EditorConfig_can_lower_an_error_to_a_suggestion()
    {
        var test = WithEditorConfig($$"""
            using SessionKinds;

            public partial class {|#0:ChatTurn|} : IAgentTask
            {
                {{Run}}
            }
            """, "dotnet_diagnostic.SKND0001.severity = suggestion");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("SKND0001", DiagnosticSeverity.Info).WithLocation(0));
        return test.RunAsync();
    }

    // The testing library's own check wraps every test in '#pragma warning disable'; these tests restore the
    // warning themselves, so that check is skipped and the pragma regions are what is verified.
    [Fact]
    public Task Pragma_disables_a_rule_in_its_region() =>
        VerifyWithPragmasAsync($$"""
            using SessionKinds;

            #pragma warning disable SKND0001 // a hand-written router decides the kind
            public partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }
            #pragma warning restore SKND0001

            public partial class {|SKND0001:Research|} : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Pragma_disables_a_kind_value_error() =>
        VerifyWithPragmasAsync("""
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Start(StoreStub store)
                {
            #pragma warning disable SKND0002
                    store.StartSession(default, "probe");
            #pragma warning restore SKND0002
                    store.StartSession({|SKND0002:default|}, "real");
                }
            }
            """);

    [Fact]
    public Task Pragma_disables_the_compilation_end_ring_file_error() =>
        VerifyWithPragmasAsync($$"""
            using SessionKinds;

            #pragma warning disable SKND0008 // both tasks run in different agent folders
            [HeartbeatSession]
            public partial class InboxCheck : IAgentTask
            {
                {{Run}}
            }

            [HeartbeatSession]
            public partial class CalendarCheck : IAgentTask
            {
                {{Run}}
            }
            #pragma warning restore SKND0008
            """);

    [Fact]
    public Task SuppressMessage_attribute_silences_a_rule_on_a_type() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            [UserSession]
            [System.Diagnostics.CodeAnalysis.SuppressMessage("SessionKinds", "SKND0007", Justification = "Read by reflection elsewhere.")]
            public class Settings
            {
            }
            """);

    private static Task VerifyWithPragmasAsync(string source) =>
        new SessionKindsAnalyzerTest(source) { TestBehaviors = TestBehaviors.SkipSuppressionCheck }.RunAsync();
}
