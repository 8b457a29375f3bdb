using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.Generation;

/// <summary>
/// Every way a user can write the attribute, its arguments and the class yields the same generated file as
/// the plain spelling: the settings come from the compiler's bound attribute, not from the syntax.
/// </summary>
public sealed class AttributeInputTests
{
    private const string HintName = "MyApp.InboxCheck.g.cs";
    private const string Settings = "RingSize: 20, AckMaxChars: 120, RingFile: \"inbox-ring.json\"";

    public static TheoryData<string, string[]> HeartbeatSpellings => new()
    {
        {
            "with the Attribute suffix",
            [Task("using SessionKinds;", "[HeartbeatSessionAttribute(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]")]
        },
        {
            "fully qualified with global::",
            [Task("", "[global::SessionKinds.HeartbeatSessionAttribute(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]")]
        },
        {
            "qualified by namespace, no suffix",
            [Task("", "[SessionKinds.HeartbeatSession(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]")]
        },
        {
            "through a using alias of the attribute",
            [Task("using Beat = SessionKinds.HeartbeatSessionAttribute;", "[Beat(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]")]
        },
        {
            "through a using alias of the namespace",
            [Task("using Kinds = SessionKinds;", "[Kinds.HeartbeatSession(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]")]
        },
        {
            "through a global using in another file",
            [Task("", "[HeartbeatSession(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]"), "global using SessionKinds;"]
        },
        {
            "named arguments in another order",
            [Task("using SessionKinds;", "[HeartbeatSession(RingFile = \"inbox-ring.json\", AckMaxChars = 120, RingSize = 20)]")]
        },
        {
            "constant expressions as arguments",
            [
                Task("using SessionKinds;", "[HeartbeatSession(RingSize = Limits.Ring, AckMaxChars = Limits.Ack * 2, RingFile = Limits.Name + \"-ring.json\")]"),
                """
                namespace MyApp;

                internal static class Limits
                {
                    public const int Ring = 4 * 5;
                    public const int Ack = 60;
                    public const string Name = nameof(inbox);
                    private const int inbox = 0;
                }
                """,
            ]
        },
        {
            "in a list with another attribute",
            [Task("using SessionKinds;", "[System.Serializable, HeartbeatSession(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]")]
        },
        {
            "on one part of a class split over three files",
            [
                Task("using SessionKinds;", "[HeartbeatSession(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]", body: ""),
                "namespace MyApp { public partial class InboxCheck : SessionKinds.IAgentTask { " + TaskSources.Body + " } }",
                "namespace MyApp { [System.Serializable] partial class InboxCheck { private int _unused = 0; public int Unused => _unused; } }",
            ]
        },
        {
            "on the last part of a split class",
            [
                "namespace MyApp { public partial class InboxCheck : SessionKinds.IAgentTask { " + TaskSources.Body + " } }",
                Task("using SessionKinds;", "[HeartbeatSession(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]", body: ""),
            ]
        },
    };

    [Theory]
    [MemberData(nameof(HeartbeatSpellings))]
    public void Every_spelling_generates_the_same_file_as_the_plain_one(string spelling, string[] sources)
    {
        var expected = GeneratorHarness
            .Run(Task("using SessionKinds;", "[HeartbeatSession(RingSize = 20, AckMaxChars = 120, RingFile = \"inbox-ring.json\")]"))
            .Source(HintName);
        Assert.Contains(Settings, expected, StringComparison.Ordinal);

        var output = GeneratorHarness.Run(sources);

        Assert.True(expected == output.Source(HintName), $"Spelling '{spelling}' generated:\n{output.Source(HintName)}");
        Assert.Equal([HintName, "SessionKinds.Generated.SessionTasks.g.cs"], output.Sources.Keys.Order(StringComparer.Ordinal));
        GeneratorHarness.AssertClean(output.Compilation);
    }

    [Fact]
    public void Defaults_come_from_the_attribute()
    {
        var output = GeneratorHarness.Run(Task("using SessionKinds;", "[HeartbeatSession]"));

        Assert.Contains("RingSize: 50, AckMaxChars: 300, RingFile: \"heartbeat-ring.json\"", output.Source(HintName), StringComparison.Ordinal);
        Assert.Contains("SessionRoutes.Heartbeat(reply, ackMaxChars: 300)", output.Source(HintName), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cron_schedule_may_be_a_constant_expression()
    {
        var output = GeneratorHarness.Run(
            """
            namespace MyApp;

            [SessionKinds.CronSession(Schedules.Hourly + " * * *")]
            public partial class Digest : SessionKinds.IAgentTask
            {
            """ + TaskSources.Body + """
            }

            internal static class Schedules
            {
                public const string Hourly = "15 *";
            }
            """);

        var source = output.Source("MyApp.Digest.g.cs");
        Assert.Contains("cronSchedule: \"15 * * * *\")", source, StringComparison.Ordinal);
        Assert.Contains("CronSchedule.Parse(\"15 * * * *\", \"UTC\");", source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sealed_task_is_completed_and_an_abstract_class_with_a_kind_is_not()
    {
        // Kinds are not inherited and an abstract class cannot run, so its attribute has no effect (SKND0010).
        var output = GeneratorHarness.Run(
            "namespace MyApp; [SessionKinds.UserSession] public abstract partial class Base : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
            "namespace MyApp; [SessionKinds.SubagentSession] public sealed partial class Leaf : Base { }");

        Assert.Equal(["MyApp.Leaf.g.cs", "SessionKinds.Generated.SessionTasks.g.cs"], output.Sources.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("global::SessionKinds.SessionKind.Subagent);", output.Source("MyApp.Leaf.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("Base", output.Source("SessionKinds.Generated.SessionTasks.g.cs"), StringComparison.Ordinal);
        GeneratorHarness.AssertClean(output.Compilation);
    }

    [Fact]
    public void A_heartbeat_task_below_an_abstract_heartbeat_class_does_not_hide_an_accessor_that_is_not_generated()
    {
        var output = GeneratorHarness.Run(
            "namespace MyApp; [SessionKinds.HeartbeatSession] public abstract partial class Pulse : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
            "namespace MyApp; [SessionKinds.HeartbeatSession(RingFile = \"leaf.json\")] public partial class Leaf : Pulse { }");

        // The abstract base gets no OpenHeartbeatRing, so a 'new' on the derived one would be CS0109.
        Assert.Contains("public static global::SessionKinds.HeartbeatRingWriter<global::MyApp.Leaf> OpenHeartbeatRing(", output.Source("MyApp.Leaf.g.cs"), StringComparison.Ordinal);
        Assert.False(output.Sources.ContainsKey("MyApp.Pulse.g.cs"));
        GeneratorHarness.AssertClean(output.Compilation);
    }

    [Fact]
    public void Kinds_do_not_inherit_a_derived_task_gets_members_for_its_own_attribute_only()
    {
        var output = GeneratorHarness.Run(
            "namespace MyApp; [SessionKinds.HeartbeatSession(RingSize = 5)] public partial class Pulse : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
            "namespace MyApp; [SessionKinds.UserSession] public partial class Chat : Pulse { }",
            "namespace MyApp; public partial class Unmarked : Pulse { }");

        var chat = output.Source("MyApp.Chat.g.cs");
        Assert.Contains("partial class Chat : global::SessionKinds.ISessionTask", chat, StringComparison.Ordinal);
        Assert.Contains("global::SessionKinds.SessionKind.User);", chat, StringComparison.Ordinal);
        Assert.DoesNotContain("Heartbeat", chat, StringComparison.Ordinal);
        Assert.Equal(["MyApp.Chat.g.cs", "MyApp.Pulse.g.cs", "SessionKinds.Generated.SessionTasks.g.cs"], output.Sources.Keys.Order(StringComparer.Ordinal));
        GeneratorHarness.AssertClean(output.Compilation);
    }

    [Fact]
    public void A_heartbeat_task_two_levels_below_a_heartbeat_task_declares_its_accessor_new_and_compiles()
    {
        var output = GeneratorHarness.Run(
            "namespace MyApp; [SessionKinds.HeartbeatSession] public partial class Pulse : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
            "namespace MyApp; public class Middle : Pulse { }",
            "namespace MyApp; [SessionKinds.HeartbeatSession(RingFile = \"leaf.json\")] public partial class Leaf : Middle { }",
            "namespace MyApp; [SessionKinds.HeartbeatSession(RingSize = 0)] public partial class Invalid : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
            "namespace MyApp; [SessionKinds.HeartbeatSession] public partial class BelowInvalid : Invalid { }");

        Assert.Contains("public static new global::SessionKinds.HeartbeatRingWriter<global::MyApp.Leaf>", output.Source("MyApp.Leaf.g.cs"), StringComparison.Ordinal);

        // Invalid is skipped (SKND0006), so nothing is hidden below it: a needless 'new' would be CS0109.
        Assert.Contains("public static global::SessionKinds.HeartbeatRingWriter<global::MyApp.BelowInvalid>", output.Source("MyApp.BelowInvalid.g.cs"), StringComparison.Ordinal);
        GeneratorHarness.AssertClean(output.Compilation);
    }

    [Fact]
    public void An_obsolete_task_is_completed_and_listed_without_warnings_and_an_obsolete_error_task_is_not_listed()
    {
        var output = GeneratorHarness.Run(
            "namespace MyApp; [System.Obsolete(\"Use InboxCheck2\")] [SessionKinds.HeartbeatSession] public partial class OldCheck : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
            "namespace MyApp; [System.Obsolete] public static partial class Legacy { [SessionKinds.UserSession] public partial class Chat : SessionKinds.IAgentTask { " + TaskSources.Body + " } }",
            "namespace MyApp; [System.Obsolete(\"Gone\", true)] [SessionKinds.UserSession] public partial class Removed : SessionKinds.IAgentTask { " + TaskSources.Body + " }");

        var registry = output.Source("SessionKinds.Generated.SessionTasks.g.cs");
        Assert.Contains("For<global::MyApp.OldCheck>()", registry, StringComparison.Ordinal);
        Assert.Contains("For<global::MyApp.Legacy.Chat>()", registry, StringComparison.Ordinal);
        Assert.DoesNotContain("Removed", registry, StringComparison.Ordinal);
        Assert.Contains("partial class Removed : global::SessionKinds.ISessionTask", output.Source("MyApp.Removed.g.cs"), StringComparison.Ordinal);
        GeneratorHarness.AssertClean(output.Compilation);
    }

    private static string Task(string usings, string attribute, string? body = null) => $$"""
        {{usings}}

        namespace MyApp
        {
            {{attribute}}
            public partial class InboxCheck : SessionKinds.IAgentTask
            {
                {{body ?? TaskSources.Body}}
            }
        }
        """;
}
