using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>SKND0006 (heartbeat settings out of range) and SKND0008 (two heartbeat tasks share a ring file).</summary>
public sealed class HeartbeatSettingsTests
{
    private static string Task(string name, string attributeArguments) => $$"""
        [HeartbeatSession{{attributeArguments}}]
        public partial class {{name}} : IAgentTask
        {
            {{Run}}
        }
        """;

    [Theory]
    [InlineData("")]
    [InlineData("(RingSize = 1)")]
    [InlineData("(RingSize = 10000)")]
    [InlineData("(AckMaxChars = 0)")]
    [InlineData("(AckMaxChars = int.MaxValue)")]
    [InlineData("(RingSize = 50, AckMaxChars = 300, RingFile = \"inbox-ring.json\")")]
    [InlineData("(RingFile = \"ring.v2.json\")")]
    public Task Settings_in_range_are_not_reported(string arguments) =>
        SessionKindsAnalyzerTest.VerifyAsync("using SessionKinds;\n\n" + Task("InboxCheck", arguments));

    [Theory]
    [InlineData("RingSize = 0", "RingSize = 0 is out of range; use a value from 1 to 10000 (how many heartbeat results the ring keeps, default 50)")]
    [InlineData("RingSize = -5", "RingSize = -5 is out of range; use a value from 1 to 10000 (how many heartbeat results the ring keeps, default 50)")]
    [InlineData("RingSize = 10001", "RingSize = 10001 is out of range; use a value from 1 to 10000 (how many heartbeat results the ring keeps, default 50)")]
    [InlineData("AckMaxChars = -1", "AckMaxChars = -1 is out of range; use 0 or more (how much text may remain beside HEARTBEAT_OK, default 300)")]
    [InlineData("RingFile = \"\"", "RingFile \"\" cannot be used: it is empty; use a plain file name inside the agent folder, e.g. \"inbox-check-ring.json\"")]
    [InlineData("RingFile = null", "RingFile null cannot be used: it is empty; use a plain file name inside the agent folder, e.g. \"inbox-check-ring.json\"")]
    [InlineData("RingFile = \"..\"", "RingFile \"..\" cannot be used: it contains '..'; use a plain file name inside the agent folder, e.g. \"inbox-check-ring.json\"")]
    [InlineData("RingFile = \"../ring.json\"", "RingFile \"../ring.json\" cannot be used: it contains a path separator ('/' or '\\'); use a plain file name inside the agent folder, e.g. \"inbox-check-ring.json\"")]
    [InlineData("RingFile = \"rings\\\\a.json\"", "RingFile \"rings\\a.json\" cannot be used: it contains a path separator ('/' or '\\'); use a plain file name inside the agent folder, e.g. \"inbox-check-ring.json\"")]
    [InlineData("RingFile = \"C:ring.json\"", "RingFile \"C:ring.json\" cannot be used: it contains ':', which is not allowed in file names; use a plain file name inside the agent folder, e.g. \"inbox-check-ring.json\"")]
    [InlineData("RingFile = \"sessions.json\"", "RingFile \"sessions.json\" cannot be used: it is a file the store itself uses (sessions.json); use a plain file name inside the agent folder, e.g. \"inbox-check-ring.json\"")]
    [InlineData("RingFile = \"NUL.json\"", "RingFile \"NUL.json\" cannot be used: 'NUL' is a reserved device name on Windows; use a plain file name inside the agent folder, e.g. \"inbox-check-ring.json\"")]
    [InlineData("RingFile = \"ring.jsonl\"", "RingFile \"ring.jsonl\" cannot be used: it has an extension the store uses for its own files (.jsonl, .sktmp); use a plain file name inside the agent folder, e.g. \"inbox-check-ring.json\"")]
    public Task Setting_out_of_range_is_reported_on_its_argument(string argument, string problem) =>
        SessionKindsAnalyzerTest.VerifyAsync(
            "using SessionKinds;\n\n" + Task("InboxCheck", "({|#0:" + argument + "|})"),
            new DiagnosticResult("SKND0006", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("The [HeartbeatSession] settings of 'InboxCheck' are invalid: " + problem));

    [Fact]
    public Task Each_setting_out_of_range_is_reported_separately() =>
        SessionKindsAnalyzerTest.VerifyAsync(
            "using SessionKinds;\n\n" + Task("InboxCheck", "(RingSize = 50, {|SKND0006:AckMaxChars = -1|}, {|SKND0006:RingSize = 0|})")
                .Replace("RingSize = 50, ", string.Empty, StringComparison.Ordinal));

    [Fact]
    public Task Constant_settings_are_judged_by_their_value() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public static class Limits
            {
                public const int Ring = 20000;
            }

            {{Task("InboxCheck", "({|SKND0006:RingSize = Limits.Ring|})")}}
            """);

    [Fact]
    public Task Two_tasks_with_the_default_ring_file_are_both_reported_on_their_identifiers() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            {{Task("{|#0:InboxCheck|}", "")}}

            {{Task("{|#1:CalendarCheck|}", "(RingSize = 10)")}}
            """,
            new DiagnosticResult("SKND0008", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'InboxCheck' writes the heartbeat ring file \"heartbeat-ring.json\", which 'CalendarCheck' also writes, so their histories would mix; give 'InboxCheck' its own file, for example [HeartbeatSession(RingFile = \"inbox-check-ring.json\")]"),
            new DiagnosticResult("SKND0008", DiagnosticSeverity.Error)
                .WithLocation(1)
                .WithMessage("'CalendarCheck' writes the heartbeat ring file \"heartbeat-ring.json\", which 'InboxCheck' also writes, so their histories would mix; give 'CalendarCheck' its own file, for example [HeartbeatSession(RingFile = \"calendar-check-ring.json\")]"));

    [Fact]
    public Task Written_ring_files_that_differ_only_in_case_are_reported_on_the_argument() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            {{Task("InboxCheck", "({|#0:RingFile = \"Ring.json\"|})")}}

            {{Task("CalendarCheck", "({|#1:RingFile = \"ring.json\"|})")}}

            {{Task("{|#2:MailCheck|}", "")}}
            """,
            new DiagnosticResult("SKND0008", DiagnosticSeverity.Error).WithLocation(0).WithArguments("InboxCheck", "Ring.json", "'CalendarCheck'", "inbox-check-ring.json"),
            new DiagnosticResult("SKND0008", DiagnosticSeverity.Error).WithLocation(1).WithArguments("CalendarCheck", "ring.json", "'InboxCheck'", "calendar-check-ring.json"));

    [Fact]
    public Task Three_tasks_sharing_a_ring_name_the_other_two() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            {{Task("{|#0:A|}", "")}}

            {{Task("{|#1:B|}", "")}}

            {{Task("{|#2:C|}", "(RingFile = HeartbeatSessionAttribute.DefaultRingFile)").Replace("(RingFile", "({|#3:RingFile", StringComparison.Ordinal).Replace("DefaultRingFile)", "DefaultRingFile|})", StringComparison.Ordinal)}}
            """,
            new DiagnosticResult("SKND0008", DiagnosticSeverity.Error).WithLocation(0).WithArguments("A", "heartbeat-ring.json", "'B' and 'C'", "a-ring.json"),
            new DiagnosticResult("SKND0008", DiagnosticSeverity.Error).WithLocation(1).WithArguments("B", "heartbeat-ring.json", "'A' and 'C'", "b-ring.json"),
            new DiagnosticResult("SKND0008", DiagnosticSeverity.Error).WithLocation(3).WithArguments("C", "heartbeat-ring.json", "'A' and 'B'", "c-ring.json"));

    [Fact]
    public Task Distinct_ring_files_are_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            {{Task("InboxCheck", "")}}

            {{Task("CalendarCheck", "(RingFile = \"calendar-ring.json\")")}}
            """);

    [Fact]
    public Task Only_tasks_the_generator_completes_own_a_ring() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            {{Task("InboxCheck", "")}}

            [HeartbeatSession]
            public abstract partial class {|SKND0010:HeartbeatBase|} : IAgentTask
            {
                {{Run}}
            }

            [HeartbeatSession]
            public class {|SKND0007:NotATask|}
            {
            }

            [HeartbeatSession]
            public class {|SKND0009:Generic|}<T> : IAgentTask
            {
                {{Run}}
            }

            [HeartbeatSession, UserSession]
            public partial class {|SKND0003:TwoKinds|} : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Heartbeat_tasks_of_other_compilations_do_not_count()
    {
        var test = new SessionKindsAnalyzerTest("using SessionKinds;\n\n" + Task("InboxCheck", ""));
        var other = test.TestState.AdditionalProjects["Other"];
        other.Sources.Add("using System.Threading;\nusing System.Threading.Tasks;\nusing SessionKinds;\n\n" + Task("CalendarCheck", ""));
        HermeticReferences.Apply(other);
        test.TestState.AdditionalProjectReferences.Add("Other");
        return test.RunAsync();
    }

    [Theory]
    [InlineData("InboxCheck", "inbox-check-ring.json")]
    [InlineData("HTTPPoller", "http-poller-ring.json")]
    [InlineData("Check2Fa", "check2-fa-ring.json")]
    [InlineData("A", "a-ring.json")]
    [InlineData("_Internal_Check", "internal-check-ring.json")]
    [InlineData("MyApp.Outer.InboxCheck", "inbox-check-ring.json")]
    [InlineData("MyApp.Outer+InboxCheck", "inbox-check-ring.json")]
    public void Suggested_ring_file_is_the_kebab_case_type_name(string typeName, string expected) =>
        // The one helper the runtime's errors use too (src/Shared), so every suggestion names the same file.
        Assert.Equal(expected, AgentFileNameRules.SuggestRingFile(typeName));
}
