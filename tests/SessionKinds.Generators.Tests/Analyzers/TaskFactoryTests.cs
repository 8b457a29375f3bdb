using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>SKND0016: a heartbeat or cron task whose generated factory cannot create it from a service provider.</summary>
public sealed class TaskFactoryTests
{
    private const string Message = "'InboxCheck' cannot be created from a service provider, so a host cannot run it: ";

    private static string Task(string members, string kind = "HeartbeatSession") => $$"""
        using System;
        using SessionKinds;

        [{{kind}}]
        public partial class {|#0:InboxCheck|} : IAgentTask
        {
            {{members}}

            {{Run}}
        }
        """;

    [Theory]
    [InlineData("")]
    [InlineData("public InboxCheck(Uri feed) { }")]
    [InlineData("public InboxCheck() { } public InboxCheck(Uri feed) { }")]
    [InlineData("public InboxCheck(Uri feed, int retries = 3, string? name = null) { }")]
    [InlineData("private InboxCheck(int secret) { } public InboxCheck(Uri feed) { }")]
    [InlineData("public required string Name { get; init; } [System.Diagnostics.CodeAnalysis.SetsRequiredMembers] public InboxCheck() { Name = \"x\"; }")]
    public Task A_task_the_factory_can_create_is_not_reported(string members) =>
        SessionKindsAnalyzerTest.VerifyAsync(Task(members).Replace("{|#0:InboxCheck|}", "InboxCheck", StringComparison.Ordinal));

    [Theory]
    [InlineData("public InboxCheck(Uri feed) { } public InboxCheck(Version version) { }", "it has 2 public constructors and more than one with the most parameters (1); use [ActivatorUtilitiesConstructor] to mark the one to call")]
    [InlineData("private InboxCheck() { }", "it has no public constructor; give it one for the host to call")]
    [InlineData("public InboxCheck(ref int count) { }", "its constructor parameter 'count' is passed by reference; remove 'ref', 'out' or 'in' (a service provider passes services by value)")]
    [InlineData("public InboxCheck(Span<byte> buffer) { }", "its constructor parameter 'buffer' has the type 'System.Span<byte>', which a service provider cannot return; pass a service instead")]
    [InlineData("public required string Name { get; init; }", "it has the required member 'Name', which the factory cannot set; set it in the constructor and mark the constructor [SetsRequiredMembers]")]
    [InlineData("[Obsolete(\"old\", true)] public InboxCheck() { }", "its constructor is [Obsolete] as an error; give the task a public constructor the factory may call")]
    public Task A_heartbeat_task_the_factory_cannot_create_is_a_warning_on_its_name(string members, string problem) =>
        SessionKindsAnalyzerTest.VerifyAsync(Task(members), new DiagnosticResult("SKND0016", DiagnosticSeverity.Warning).WithLocation(0).WithMessage(Message + problem));

    [Fact]
    public Task A_cron_task_is_reported_too() =>
        SessionKindsAnalyzerTest.VerifyAsync(
            Task("public InboxCheck(Uri a) { } public InboxCheck(Version b) { }", "CronSession(\"0 7 * * *\")"),
            new DiagnosticResult("SKND0016", DiagnosticSeverity.Warning).WithLocation(0));

    [Fact]
    public Task A_user_task_is_not_reported_because_no_host_creates_it() =>
        SessionKindsAnalyzerTest.VerifyAsync(Task("public InboxCheck(Uri a) { } public InboxCheck(Version b) { }", "UserSession").Replace("{|#0:InboxCheck|}", "InboxCheck", StringComparison.Ordinal));

    [Fact]
    public Task The_marked_constructor_settles_a_tie() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using SessionKinds;

            [HeartbeatSession]
            public partial class InboxCheck : IAgentTask
            {
                [ActivatorUtilitiesConstructor]
                public InboxCheck(Uri feed) { }

                public InboxCheck(Version version) { }

                public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => default;
            }

            namespace Microsoft.Extensions.DependencyInjection
            {
                [AttributeUsage(AttributeTargets.Constructor)]
                public sealed class ActivatorUtilitiesConstructorAttribute : Attribute { }
            }
            """);
}
