using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>
/// SKND0012 (interval), SKND0013 (active hours), SKND0014 (time zone) and SKND0015 (never fires): exact spans and
/// messages, judged by the rules the runtime applies (src/Shared/ScheduleRules.cs).
/// </summary>
public sealed class ScheduleTests
{
    private static string Heartbeat(string arguments, string name = "InboxCheck") => $$"""
        using SessionKinds;

        [HeartbeatSession({{arguments}})]
        public partial class {{name}} : IAgentTask
        {
            {{Run}}
        }
        """;

    private static string Cron(string arguments) => $$"""
        using SessionKinds;

        [CronSession({{arguments}})]
        public partial class MorningBrief : IAgentTask
        {
            {{Run}}
        }
        """;

    [Theory]
    [InlineData("Every = \"30m\"")]
    [InlineData("Every = \"1h\"")]
    [InlineData("Every = \"90s\"")]
    [InlineData("Every = \"1h30m\"")]
    [InlineData("Every = \"45\"")]
    [InlineData("Every = \"0m\"")]
    [InlineData("Every = \"0\"")]
    [InlineData("Every = \"10s\"")]
    [InlineData("Every = \"7d\"")]
    [InlineData("Every = HeartbeatSessionAttribute.DefaultEvery")]
    [InlineData("ActiveHours = \"08:00-22:00\"")]
    [InlineData("ActiveHours = \"22:00-06:00\"")]
    [InlineData("ActiveHours = \"00:00-24:00\"")]
    [InlineData("ActiveHours = null")]
    [InlineData("TimeZone = \"Europe/Berlin\"")]
    [InlineData("TimeZone = \"UTC\"")]
    [InlineData("TimeZone = \"Etc/UTC\"")]
    [InlineData("TimeZone = \"US/Eastern\"")]
    [InlineData("Every = \"1h\", ActiveHours = \"08:00-22:00\", TimeZone = \"America/New_York\"")]
    public Task Valid_heartbeat_schedules_are_not_reported(string arguments) =>
        SessionKindsAnalyzerTest.VerifyAsync(Heartbeat(arguments));

    [Theory]
    [InlineData("Every = \"30 minutes\"", "Every \"30 minutes\" is not a duration; write a number and a unit (s, m, h or d), e.g. \"30m\", \"1h\", \"90s\" or \"1h30m\" (a bare number is minutes; \"0m\" disables the heartbeat); did you mean \"30m\"?")]
    [InlineData("Every = \"PT1H\"", "Every \"PT1H\" is not a duration; write a number and a unit (s, m, h or d), e.g. \"30m\", \"1h\", \"90s\" or \"1h30m\" (a bare number is minutes; \"0m\" disables the heartbeat); did you mean \"1h\"?")]
    [InlineData("Every = \"often\"", "Every \"often\" is not a duration; write a number and a unit (s, m, h or d), e.g. \"30m\", \"1h\", \"90s\" or \"1h30m\" (a bare number is minutes; \"0m\" disables the heartbeat)")]
    [InlineData("Every = \"\"", "Every \"\" is empty; write a number and a unit (s, m, h or d), e.g. \"30m\", \"1h\", \"90s\" or \"1h30m\" (a bare number is minutes; \"0m\" disables the heartbeat)")]
    [InlineData("Every = \"5s\"", "Every \"5s\" is shorter than 10 seconds; use at least \"10s\", or \"0m\" to disable the heartbeat")]
    [InlineData("Every = \"8d\"", "Every \"8d\" is longer than 7 days; use at most \"7d\" (for a rarer schedule use [CronSession])")]
    [InlineData("Every = \"30m1h\"", "Every \"30m1h\" is not a duration; write a number and a unit (s, m, h or d), e.g. \"30m\", \"1h\", \"90s\" or \"1h30m\" (a bare number is minutes; \"0m\" disables the heartbeat); did you mean \"1h30m\"?")]
    public Task A_malformed_interval_is_reported_on_its_argument(string argument, string problem) =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Heartbeat("{|#0:" + argument + "|}"),
            new DiagnosticResult("SKND0012", DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("The [HeartbeatSession] interval of 'InboxCheck' is invalid: " + problem));

    [Theory]
    [InlineData("ActiveHours = \"8:00-22:00\"", "ActiveHours \"8:00-22:00\" is not a window; write HH:MM-HH:MM with two-digit hours and minutes, e.g. \"08:00-22:00\" (start inclusive, end exclusive, \"24:00\" allowed as the end, a window may wrap midnight such as \"22:00-06:00\"); did you mean \"08:00-22:00\"?")]
    [InlineData("ActiveHours = \"08:00 – 22:00\"", "ActiveHours \"08:00 – 22:00\" is not a window; write HH:MM-HH:MM with two-digit hours and minutes, e.g. \"08:00-22:00\" (start inclusive, end exclusive, \"24:00\" allowed as the end, a window may wrap midnight such as \"22:00-06:00\"); did you mean \"08:00-22:00\"?")]
    [InlineData("ActiveHours = \"mornings\"", "ActiveHours \"mornings\" is not a window; write HH:MM-HH:MM with two-digit hours and minutes, e.g. \"08:00-22:00\" (start inclusive, end exclusive, \"24:00\" allowed as the end, a window may wrap midnight such as \"22:00-06:00\")")]
    [InlineData("ActiveHours = \"08:00-25:00\"", "ActiveHours \"08:00-25:00\": the end 25:00 is not a time of day; hours go from 00 to 23, and \"24:00\" is allowed as the end")]
    [InlineData("ActiveHours = \"24:00-06:00\"", "ActiveHours \"24:00-06:00\": the start 24:00 is not a time of day; hours go from 00 to 23 (write \"00:00\" for midnight)")]
    [InlineData("ActiveHours = \"08:60-22:00\"", "ActiveHours \"08:60-22:00\": minutes go from 00 to 59; write e.g. \"08:00-22:30\"")]
    public Task A_malformed_window_is_reported_on_its_argument(string argument, string problem) =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Heartbeat("{|#0:" + argument + "|}"),
            new DiagnosticResult("SKND0013", DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("The [HeartbeatSession] active hours of 'InboxCheck' are invalid: " + problem));

    [Fact]
    public Task An_unknown_heartbeat_time_zone_is_reported_with_the_spelling_the_database_uses() =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Heartbeat("ActiveHours = \"08:00-22:00\", {|#0:TimeZone = \"europe/berlin\"|}"),
            new DiagnosticResult("SKND0014", DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("The [HeartbeatSession] time zone of 'InboxCheck' is invalid: TimeZone \"europe/berlin\" is not a time zone of the IANA tz database (ids are case-sensitive); write \"Europe/Berlin\""));

    [Theory]
    [InlineData("W. Europe Standard Time")]
    [InlineData("CEST")]
    [InlineData("Europe/Atlantis")]
    public Task A_name_that_is_no_iana_id_is_reported(string zone) =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Cron("\"0 7 * * *\", {|#0:TimeZone = \"" + zone + "\"|}"),
            new DiagnosticResult("SKND0014", DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage($"The [CronSession] time zone of 'MorningBrief' is invalid: TimeZone \"{zone}\" is not a time zone of the IANA tz database; write an id such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\" (Windows names such as \"W. Europe Standard Time\" are not accepted)"));

    [Fact]
    public Task A_cron_time_zone_given_as_a_constant_is_judged_by_its_value() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            public static class Zones
            {
                public const string Home = "Europe/Berlin";
                public const string Typo = "Europe/Berln";
            }

            [CronSession("0 7 * * *", TimeZone = Zones.Home)]
            public partial class MorningBrief : IAgentTask
            {
                public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => default;
            }

            [CronSession("0 8 * * *", {|SKND0014:TimeZone = Zones.Typo|})]
            public partial class LateBrief : IAgentTask
            {
                public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => default;
            }
            """);

    [Theory]
    [InlineData("0 0 31 2 *")]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 4,6,9,11 *")]
    public Task A_cron_schedule_that_never_fires_is_a_warning_on_the_schedule(string schedule) =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Cron("{|#0:\"" + schedule + "\"|}"),
            new DiagnosticResult("SKND0015", DiagnosticSeverity.Warning).WithLocation(0)
                .WithMessage($"'MorningBrief' never runs: its schedule \"{schedule}\" matches no date (the day of the month never occurs in the months it names), so it never fires; write a day that occurs in the months it names, e.g. \"0 0 28 2 *\" or \"0 0 L 2 *\" for the last day of February"));

    [Theory]
    [InlineData("0 0 29 2 *")]
    [InlineData("0 0 L 2 *")]
    [InlineData("0 7 * * *")]
    public Task A_rare_cron_schedule_is_not_reported(string schedule) =>
        SessionKindsAnalyzerTest.VerifyAsync(Cron("\"" + schedule + "\""));

    [Fact]
    public Task An_empty_window_is_a_warning_on_its_argument() =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Heartbeat("{|#0:ActiveHours = \"08:00-08:00\"|}"),
            new DiagnosticResult("SKND0015", DiagnosticSeverity.Warning).WithLocation(0)
                .WithMessage("'InboxCheck' never runs: its active hours \"08:00-08:00\" start and end at the same time, so the window never opens; widen it, e.g. \"08:00-22:00\", leave ActiveHours out for all day, or write Every = \"0m\" to disable the heartbeat on purpose"));

    [Fact]
    public Task Every_problem_of_one_attribute_is_reported_on_its_own_argument() =>
        SessionKindsAnalyzerTest.VerifyAsync(Heartbeat(
            "{|SKND0012:Every = \"1 fortnight\"|}, {|SKND0013:ActiveHours = \"late\"|}, {|SKND0014:TimeZone = \"Mars/Olympus\"|}, {|SKND0006:RingSize = 0|}"));

    [Fact]
    public Task Settings_on_a_class_that_is_not_a_task_are_checked_too() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            [HeartbeatSession({|SKND0012:Every = "soon"|})]
            public class {|SKND0007:NotATask|}
            {
            }
            """);

    [Fact]
    public Task A_task_with_a_disabled_heartbeat_is_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync(Heartbeat("Every = \"0m\", ActiveHours = \"08:00-22:00\""));
}
