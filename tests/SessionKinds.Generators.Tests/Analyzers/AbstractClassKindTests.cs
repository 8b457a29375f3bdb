using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>
/// SKND0010: a session kind attribute on an abstract class has no effect (kinds are not inherited and an abstract class
/// cannot run); the generator does not complete it, so nothing else is asked of it.
/// </summary>
public sealed class AbstractClassKindTests
{
    [Fact]
    public Task Kind_on_an_abstract_task_is_a_warning_on_its_identifier_that_names_the_attribute() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            namespace App;

            [HeartbeatSession(RingSize = 20)]
            public abstract partial class MailboxCheck : IAgentTask
            {
                {{Run}}
            }
            """,
            new DiagnosticResult("SKND0010", DiagnosticSeverity.Warning)
                .WithSpan(6, 31, 6, 43)
                .WithMessage("'MailboxCheck' is abstract, so [HeartbeatSession] has no effect: kinds are not inherited; put the attribute on each concrete task that derives from 'MailboxCheck' and remove it here"));

    [Fact]
    public Task Abstract_record_is_reported_like_a_class() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [UserSession]
            public abstract partial record {|#0:ChatBase|}(string Topic) : IAgentTask
            {
                {{Run}}
            }
            """,
            new DiagnosticResult("SKND0010", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("ChatBase", "[UserSession]"));

    [Fact]
    public Task Abstract_task_is_not_asked_to_be_partial_nor_are_its_containers() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public static class Agent
            {
                [SubagentSession]
                public abstract class {|SKND0010:ResearchBase|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """);

    [Fact]
    public Task Abstract_task_with_two_kinds_gets_one_warning_naming_both() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [UserSession, CronSession("@daily")]
            public abstract class {|#0:Both|} : IAgentTask
            {
                {{Run}}
            }
            """,
            new DiagnosticResult("SKND0010", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Both", "[UserSession], [CronSession]"));

    [Fact]
    public Task Generic_abstract_task_is_reported_as_abstract_only() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [UserSession]
            public abstract class {|SKND0010:Wrapper|}<T> : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Settings_of_an_abstract_task_are_still_checked_but_it_owns_no_ring() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [HeartbeatSession({|SKND0006:RingSize = 0|})]
            public abstract class {|SKND0010:PulseBase|} : IAgentTask
            {
                {{Run}}
            }

            [HeartbeatSession]
            public abstract class {|SKND0010:OtherBase|} : IAgentTask
            {
                {{Run}}
            }

            [HeartbeatSession]
            public partial class Pulse : OtherBase
            {
            }
            """);

    [Fact]
    public Task Concrete_task_below_an_abstract_kinded_class_needs_its_own_kind() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [CronSession("@hourly")]
            public abstract class {|SKND0010:ScheduledBase|} : IAgentTask
            {
                {{Run}}
            }

            public sealed partial class {|#0:Digest|} : ScheduledBase
            {
            }
            """,
            new DiagnosticResult("SKND0001", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'Digest' implements IAgentTask but has no session kind attribute (kinds are not inherited: its base class 'ScheduledBase' has [CronSession], 'Digest' needs its own); add [UserSession], [HeartbeatSession], [CronSession(\"...\")] or [SubagentSession] to 'Digest'"));

    [Fact]
    public Task Abstract_class_that_is_not_a_task_is_SKND0007_not_SKND0010() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            [UserSession]
            public abstract class {|SKND0007:Helper|}
            {
            }
            """);

    [Fact]
    public Task Pragma_silences_the_warning() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            #pragma warning disable SKND0010
            [UserSession]
            public abstract class ChatBase : IAgentTask
            {
                {{Run}}
            }
            #pragma warning restore SKND0010
            """);
}
