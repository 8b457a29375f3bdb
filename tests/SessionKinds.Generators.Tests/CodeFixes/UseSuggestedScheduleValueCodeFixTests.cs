using Microsoft.CodeAnalysis.Testing;
using SessionKinds.CodeFixes;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.CodeFixes;

/// <summary>SKND0012/SKND0013/SKND0014 fix: a value whose meaning is obvious becomes the form the rules accept.</summary>
public sealed class UseSuggestedScheduleValueCodeFixTests
{
    private static string Heartbeat(string arguments) => $$"""
        using SessionKinds;

        [HeartbeatSession({{arguments}})]
        public partial class InboxCheck : IAgentTask
        {
            {{Run}}
        }
        """;

    [Theory]
    [InlineData("SKND0012", "Every = \"30 min\"", "Every = \"30m\"")]
    [InlineData("SKND0012", "Every = \"2 Hours\"", "Every = \"2h\"")]
    [InlineData("SKND0012", "Every = \"00:30:00\"", "Every = \"30m\"")]
    [InlineData("SKND0012", "Every = \"90 secs\"", "Every = \"1m30s\"")]
    [InlineData("SKND0013", "ActiveHours = \"8:00-22:00\"", "ActiveHours = \"08:00-22:00\"")]
    [InlineData("SKND0013", "ActiveHours = \"8-22\"", "ActiveHours = \"08:00-22:00\"")]
    [InlineData("SKND0013", "ActiveHours = \"22.00 - 6.00\"", "ActiveHours = \"22:00-06:00\"")]
    [InlineData("SKND0014", "TimeZone = \"europe/berlin\"", "TimeZone = \"Europe/Berlin\"")]
    [InlineData("SKND0014", "TimeZone = \" America/New_York \"", "TimeZone = \"America/New_York\"")]
    public Task The_fix_writes_the_canonical_value(string id, string written, string fixedArgument) =>
        new SessionKindsCodeFixTest<UseSuggestedScheduleValueCodeFixProvider>(
            Heartbeat("{|" + id + ":" + written + "|}"),
            Heartbeat(fixedArgument),
            id + UseSuggestedScheduleValueCodeFixProvider.EquivalenceKeySuffix).RunAsync();

    [Fact]
    public Task A_cron_time_zone_is_fixed_and_the_schedule_kept() =>
        new SessionKindsCodeFixTest<UseSuggestedScheduleValueCodeFixProvider>($$"""
            using SessionKinds;

            [CronSession("0 7 * * *", {|SKND0014:TimeZone = "EUROPE/LONDON"|})] // the morning brief
            public partial class MorningBrief : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            [CronSession("0 7 * * *", TimeZone = "Europe/London")] // the morning brief
            public partial class MorningBrief : IAgentTask
            {
                {{Run}}
            }
            """).RunAsync();

    [Fact]
    public Task FixAll_fixes_every_argument_of_every_task()
    {
        var test = new SessionKindsCodeFixTest<UseSuggestedScheduleValueCodeFixProvider>($$"""
            using SessionKinds;

            [HeartbeatSession({|SKND0013:ActiveHours = "9:00-17:00"|}, RingFile = "a-ring.json")]
            public partial class A : IAgentTask
            {
                {{Run}}
            }

            [HeartbeatSession({|SKND0013:ActiveHours = "7:30-9:00"|}, RingFile = "b-ring.json")]
            public partial class B : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            [HeartbeatSession(ActiveHours = "09:00-17:00", RingFile = "a-ring.json")]
            public partial class A : IAgentTask
            {
                {{Run}}
            }

            [HeartbeatSession(ActiveHours = "07:30-09:00", RingFile = "b-ring.json")]
            public partial class B : IAgentTask
            {
                {{Run}}
            }
            """, "SKND0013" + UseSuggestedScheduleValueCodeFixProvider.EquivalenceKeySuffix);
        return test.RunAsync();
    }

    [Theory]
    [InlineData("{|SKND0012:Every = \"often\"|}")]
    [InlineData("{|SKND0013:ActiveHours = \"08:00-25:00\"|}")]
    [InlineData("{|SKND0014:TimeZone = \"Mars/Olympus\"|}")]
    public Task No_fix_is_offered_when_the_meaning_is_not_obvious(string argument)
    {
        var source = Heartbeat(argument);
        var test = new SessionKindsCodeFixTest<UseSuggestedScheduleValueCodeFixProvider>(source, source);
        return test.RunAsync();
    }

    [Fact]
    public Task No_fix_is_offered_for_a_constant() =>
        new SessionKindsCodeFixTest<UseSuggestedScheduleValueCodeFixProvider>($$"""
            using SessionKinds;

            public static class Windows
            {
                public const string Office = "9:00-17:00";
            }

            [HeartbeatSession({|SKND0013:ActiveHours = Windows.Office|})]
            public partial class InboxCheck : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            public static class Windows
            {
                public const string Office = "9:00-17:00";
            }

            [HeartbeatSession({|SKND0013:ActiveHours = Windows.Office|})]
            public partial class InboxCheck : IAgentTask
            {
                {{Run}}
            }
            """).RunAsync();
}
