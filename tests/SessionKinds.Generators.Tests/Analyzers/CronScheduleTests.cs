using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>SKND0005: the [CronSession] schedule is checked with the runtime's parser; the message carries its reason.</summary>
public sealed class CronScheduleTests
{
    private static string Task(string attributeArguments) => $$"""
        using SessionKinds;

        [CronSession{{attributeArguments}}]
        public partial class Nightly : IAgentTask
        {
            {{Run}}
        }
        """;

    public static TheoryData<string> ValidSchedules() =>
    [
        "0 7 * * *",
        "* * * * *",
        "*/5 * * * *",
        "0 9-17 * * MON-FRI",
        "0 0 1,15 * *",
        "30 6 * JAN-MAR SUN",
        "0 0 L * *",
        "0 12 * * 5#3",
        "0 0 * * 7",
        "15 14 1W * *",
        "@daily",
        "@hourly",
        "@weekly",
        "@monthly",
        "@yearly",
        "@midnight",
        " 0 7 * * * ",
    ];

    public static TheoryData<string> InvalidSchedules() =>
    [
        "60 * * * *",
        "0 24 * * *",
        "0 0 32 * *",
        "0 0 0 * *",
        "0 0 * 13 *",
        "0 0 * * 8",
        "*/0 * * * *",
        "* * *",
        "* * * * * *",
        "1,2,,3 * * * *",
        "abc",
        "@every",
        "@reboot",
        "0 0 * * MON#6",
    ];

    [Theory]
    [MemberData(nameof(ValidSchedules))]
    public Task Valid_schedule_is_not_reported(string schedule) =>
        SessionKindsAnalyzerTest.VerifyAsync(Task($"(\"{schedule}\")"));

    [Theory]
    [MemberData(nameof(InvalidSchedules))]
    public Task Invalid_schedule_is_reported_on_the_argument_with_the_parser_reason(string schedule)
    {
        CronScheduleSyntax.TryParse(schedule, out _, out var reason);
        Assert.NotNull(reason);
        var expectedReason = reason!.Replace("The given cron expression has an invalid format. ", string.Empty, StringComparison.Ordinal).TrimEnd('.');
        return SessionKindsAnalyzerTest.VerifyAsync(
            Task($"({{|#0:\"{schedule}\"|}})"),
            new DiagnosticResult("SKND0005", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage($"The [CronSession] schedule of 'Nightly' is invalid: {expectedReason} in \"{schedule}\"; write five fields (minute hour day-of-month month day-of-week), e.g. \"0 7 * * *\", or a macro such as \"@daily\""));
    }

    [Fact]
    public Task Out_of_range_minute_message_is_the_parsers() =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Task("({|#0:\"60 * * * *\"|})"),
            new DiagnosticResult("SKND0005", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("The [CronSession] schedule of 'Nightly' is invalid: Minutes: Value must be a number between 0 and 59 (all inclusive) in \"60 * * * *\"; write five fields (minute hour day-of-month month day-of-week), e.g. \"0 7 * * *\", or a macro such as \"@daily\""));

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("\"\\t\"")]
    [InlineData("null")]
    [InlineData("schedule: \"\"")]
    public Task Empty_whitespace_and_null_schedules_are_reported(string argument) =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Task($"({{|#0:{argument}|}})"),
            new DiagnosticResult("SKND0005", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("The [CronSession] schedule of 'Nightly' is invalid: the schedule is empty; write five fields: minute hour day-of-month month day-of-week, e.g. \"0 7 * * *\""));

    [Fact]
    public Task Missing_schedule_is_reported_on_the_attribute_beside_the_compiler_error() =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Task("").Replace("[CronSession]", "[{|#0:CronSession|}]", StringComparison.Ordinal),
            DiagnosticResult.CompilerError("CS7036").WithLocation(0).WithArguments("schedule", "SessionKinds.CronSessionAttribute.CronSessionAttribute(string)"),
            new DiagnosticResult("SKND0005", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("The [CronSession] schedule of 'Nightly' is invalid: the schedule is missing; pass one, e.g. [CronSession(\"0 7 * * *\")] for every day at 07:00 UTC"));

    [Fact]
    public Task Empty_argument_list_is_reported_as_missing() =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Task("()").Replace("[CronSession()]", "[{|#0:CronSession()|}]", StringComparison.Ordinal),
            DiagnosticResult.CompilerError("CS7036").WithLocation(0).WithArguments("schedule", "SessionKinds.CronSessionAttribute.CronSessionAttribute(string)"),
            new DiagnosticResult("SKND0005", DiagnosticSeverity.Error).WithLocation(0));

    [Fact]
    public Task Constant_schedule_is_judged_by_its_value() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public static class Schedules
            {
                public const string Morning = "0 7 * * *";
                public const string Broken = "0 25 * * *";
            }

            [CronSession(Schedules.Morning)]
            public partial class MorningBrief : IAgentTask
            {
                {{Run}}
            }

            [CronSession({|SKND0005:Schedules.Broken|})]
            public partial class Broken : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Non_constant_schedule_is_left_to_the_compiler() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public static class Schedules
            {
                public static readonly string Morning = "0 7 * * *";
            }

            [CronSession({|CS0182:Schedules.Morning|})]
            public partial class MorningBrief : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Wrongly_typed_schedule_is_left_to_the_compiler() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [CronSession({|CS1503:42|})]
            public partial class MorningBrief : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public void Analyzer_and_runtime_share_one_parser()
    {
        // The runtime's CronSchedule.Parse and the analyzer both call CronScheduleSyntax: the same schedule gets the same verdict.
        foreach (var schedule in ValidSchedules())
        {
            Assert.Equal(schedule, CronSchedule.Parse(schedule).Text);
        }

        foreach (var schedule in InvalidSchedules())
        {
            Assert.Throws<FormatException>(() => CronSchedule.Parse(schedule));
        }
    }
}
