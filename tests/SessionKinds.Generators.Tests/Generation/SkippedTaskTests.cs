using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.Generation;

/// <summary>
/// What the generator cannot complete it skips quietly (the analyzers report it): no file, no registry
/// entry, no diagnostic, no exception, whatever half-typed code it is given. A valid task in the same
/// compilation shows the generator still runs.
/// </summary>
public sealed class SkippedTaskTests
{
    private const string Valid = "namespace MyApp { [SessionKinds.UserSession] public partial class Valid : SessionKinds.IAgentTask { " + TaskSources.Body + " } }";

    public static TheoryData<string, string> Skipped => new()
    {
        { "generic task (SKND0009)", "[SessionKinds.UserSession] public partial class Skipped<T> : SessionKinds.IAgentTask { BODY }" },
        { "task nested in a generic type (SKND0009)", "public partial class Outer<T> { [SessionKinds.UserSession] public partial class Skipped : SessionKinds.IAgentTask { BODY } }" },
        { "task not partial (SKND0004)", "[SessionKinds.UserSession] public class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "one part not partial (SKND0004)", "[SessionKinds.UserSession] public partial class Skipped : SessionKinds.IAgentTask { BODY } public class Skipped { }" },
        { "containing type not partial (SKND0004)", "public class Outer { [SessionKinds.UserSession] public partial class Skipped : SessionKinds.IAgentTask { BODY } }" },
        { "two kinds (SKND0003)", "[SessionKinds.UserSession, SessionKinds.SubagentSession] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "two kinds on two parts (SKND0003)", "[SessionKinds.UserSession] public partial class Skipped : SessionKinds.IAgentTask { BODY } [SessionKinds.HeartbeatSession] public partial class Skipped { }" },
        { "one kind repeated on two parts (CS0579)", "[SessionKinds.UserSession] public partial class Skipped : SessionKinds.IAgentTask { BODY } [SessionKinds.UserSession] public partial class Skipped { }" },
        { "schedule that does not parse (SKND0005)", "[SessionKinds.CronSession(\"every morning\")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "schedule out of range (SKND0005)", "[SessionKinds.CronSession(\"61 * * * *\")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "empty schedule (SKND0005)", "[SessionKinds.CronSession(\"  \")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "null schedule (SKND0005)", "[SessionKinds.CronSession(null!)] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "missing schedule (CS7036)", "[SessionKinds.CronSession] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "ring size 0 (SKND0006)", "[SessionKinds.HeartbeatSession(RingSize = 0)] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "ring size 10001 (SKND0006)", "[SessionKinds.HeartbeatSession(RingSize = 10001)] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "negative ack limit (SKND0006)", "[SessionKinds.HeartbeatSession(AckMaxChars = -1)] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "null ring file (SKND0006)", "[SessionKinds.HeartbeatSession(RingFile = null!)] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "blank ring file (SKND0006)", "[SessionKinds.HeartbeatSession(RingFile = \" \")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "ring file '..' (SKND0006)", "[SessionKinds.HeartbeatSession(RingFile = \"..\")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "ring file in a folder (SKND0006)", "[SessionKinds.HeartbeatSession(RingFile = \"rings/inbox.json\")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "ring file with a drive (SKND0006)", "[SessionKinds.HeartbeatSession(RingFile = \"C:inbox.json\")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "ring file with a quote (SKND0006)", "[SessionKinds.HeartbeatSession(RingFile = \"in\\\"box.json\")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "ring file with a control character (SKND0006)", "[SessionKinds.HeartbeatSession(RingFile = \"inbox\\n.json\")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "argument of the wrong type (CS0029)", "[SessionKinds.HeartbeatSession(RingSize = \"20\")] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "argument not constant (CS0182)", "[SessionKinds.HeartbeatSession(RingSize = Limits.Ring)] public partial class Skipped : SessionKinds.IAgentTask { BODY } static class Limits { public static int Ring = 5; }" },
        { "half-typed argument", "[SessionKinds.HeartbeatSession(RingSize = )] public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "half-typed attribute", "[SessionKinds.CronSession(" + "\n" + "public partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "not an IAgentTask (SKND0007)", "[SessionKinds.UserSession] public partial class Skipped { }" },
        { "abstract class (SKND0010)", "[SessionKinds.UserSession] public abstract partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "abstract record (SKND0010)", "[SessionKinds.HeartbeatSession] public abstract partial record Skipped : SessionKinds.IAgentTask { BODY }" },
        { "static class", "[SessionKinds.UserSession] public static partial class Skipped { }" },
        { "file-local class", "[SessionKinds.UserSession] file partial class Skipped : SessionKinds.IAgentTask { BODY }" },
        { "struct (CS0592)", "[SessionKinds.UserSession] public partial struct Skipped : SessionKinds.IAgentTask { BODY }" },
        { "record struct (CS0592)", "[SessionKinds.UserSession] public partial record struct Skipped : SessionKinds.IAgentTask { BODY }" },
        { "interface (CS0592)", "[SessionKinds.UserSession] public partial interface Skipped : SessionKinds.IAgentTask { }" },
        { "an attribute of the same name from another namespace", "[HeartbeatSession] public partial class Skipped : SessionKinds.IAgentTask { BODY } public sealed class HeartbeatSessionAttribute : System.Attribute { }" },
    };

    [Theory]
    [MemberData(nameof(Skipped))]
    public void The_generator_skips_without_a_diagnostic(string reason, string declaration)
    {
        var output = GeneratorHarness.Run(Valid, "namespace MyApp { " + declaration.Replace("BODY", TaskSources.Body, StringComparison.Ordinal) + " }");

        Assert.True(
            output.Sources.Keys.Order(StringComparer.Ordinal).SequenceEqual(["MyApp.Valid.g.cs", "SessionKinds.Generated.SessionTasks.g.cs"]),
            $"{reason}: generated {string.Join(", ", output.Sources.Keys)}");
        Assert.DoesNotContain("Skipped", output.Source("SessionKinds.Generated.SessionTasks.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_named_like_the_registry_is_skipped_so_the_hint_names_cannot_collide()
    {
        var output = GeneratorHarness.Run(Valid, "namespace SessionKinds.Generated { [SessionKinds.UserSession] public partial class sessionTasks : SessionKinds.IAgentTask { " + TaskSources.Body + " } }");

        Assert.Equal(["MyApp.Valid.g.cs", "SessionKinds.Generated.SessionTasks.g.cs"], output.Sources.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_skipped_case_in_one_compilation_leaves_only_the_valid_task()
    {
        var declarations = Skipped
            .Select(row => (string)row[1])
            .Where(declaration => !declaration.Contains("RingSize = )", StringComparison.Ordinal) && !declaration.Contains("(\n", StringComparison.Ordinal));
        var output = GeneratorHarness.Run([Valid, .. declarations.Select((declaration, index) =>
            $"namespace Case{index} {{ {declaration.Replace("BODY", TaskSources.Body, StringComparison.Ordinal)} }}")]);

        Assert.Equal(["MyApp.Valid.g.cs", "SessionKinds.Generated.SessionTasks.g.cs"], output.Sources.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_generator_never_throws_on_half_typed_code()
    {
        // Every prefix of a realistic file, cut at every token: what an editor feeds the generator while typing.
        const string File = """
            using SessionKinds;
            using Beat = SessionKinds.HeartbeatSessionAttribute;

            namespace MyApp.Agents;

            public static partial class Limits { public const int Ring = 2 * 10; }

            public partial class Outer
            {
                [Beat(RingSize = Limits.Ring, AckMaxChars = 120, RingFile = "inbox-ring.json")]
                public partial class InboxCheck : IAgentTask
                {
                    public System.Threading.Tasks.ValueTask<TaskReply> RunAsync(TaskContext context, System.Threading.CancellationToken cancellationToken) => new(new TaskReply("HEARTBEAT_OK"));
                }
            }

            [CronSession("0 7 * * *")] internal sealed partial record MorningBrief : IAgentTask { public System.Threading.Tasks.ValueTask<TaskReply> RunAsync(TaskContext c, System.Threading.CancellationToken t) => default; }
            [UserSession, SubagentSession] public partial class Both<T> : IAgentTask where T : class { public System.Threading.Tasks.ValueTask<TaskReply> RunAsync(TaskContext c, System.Threading.CancellationToken t) => default; }
            """;
        var cuts = Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseCompilationUnit(File)
            .DescendantTokens()
            .SelectMany(token => new[] { token.SpanStart, token.Span.End })
            .Distinct()
            .ToList();

        foreach (var cut in cuts)
        {
            var output = GeneratorHarness.Run(File[..cut]);
            Assert.All(output.Sources.Keys, hintName => Assert.EndsWith(".g.cs", hintName, StringComparison.Ordinal));
        }

        Assert.True(cuts.Count > 200, $"only {cuts.Count} cuts");
    }
}
