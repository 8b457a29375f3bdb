using Microsoft.CodeAnalysis.Testing;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>SKND0001: a non-abstract class implementing IAgentTask has no session kind attribute.</summary>
public sealed class MissingSessionKindTests
{
    [Fact]
    public Task Class_without_kind_is_reported_on_its_identifier() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public partial class {|SKND0001:ChatTurn|} : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Message_names_the_type_and_the_attributes_to_add() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            namespace App;

            public partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }
            """,
            new DiagnosticResult("SKND0001", Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                .WithSpan(5, 22, 5, 30)
                .WithMessage("'ChatTurn' implements IAgentTask but has no session kind attribute; add [UserSession], [HeartbeatSession], [CronSession(\"...\")] or [SubagentSession] to 'ChatTurn'"));

    [Theory]
    [InlineData("[UserSession]")]
    [InlineData("[HeartbeatSession]")]
    [InlineData("[CronSession(\"0 7 * * *\")]")]
    [InlineData("[SubagentSession]")]
    public Task Class_with_a_kind_is_not_reported(string attribute) =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            {{attribute}}
            public partial class Task1 : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Abstract_class_is_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public abstract class TaskBase : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Interface_deriving_from_IAgentTask_is_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            public interface IChatTask : IAgentTask { }
            """);

    [Fact]
    public Task Class_implementing_a_derived_interface_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public interface IChatTask : IAgentTask { }

            public partial class {|SKND0001:ChatTurn|} : IChatTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Class_not_implementing_IAgentTask_is_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            public class Helper
            {
                public int Value => 42;
            }
            """);

    [Fact]
    public Task Kind_on_one_part_of_a_partial_class_covers_every_part() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }

            [UserSession]
            public partial class ChatTurn
            {
            }
            """);

    [Fact]
    public Task Partial_class_without_a_kind_is_reported_once_on_its_first_part()
    {
        var test = new SessionKindsAnalyzerTest($$"""
            using SessionKinds;

            public partial class {|SKND0001:ChatTurn|} : IAgentTask
            {
                {{Run}}
            }
            """);
        test.TestState.Sources.Add(("/0/ChatTurn.Part2.cs", """
            public partial class ChatTurn
            {
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task Derived_class_of_a_kinded_task_needs_its_own_kind() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [HeartbeatSession]
            public partial class InboxCheck : IAgentTask
            {
                {{Run}}
            }

            public partial class UrgentInboxCheck : InboxCheck
            {
            }
            """,
            new DiagnosticResult("SKND0001", Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                .WithSpan(9, 22, 9, 38)
                .WithMessage("'UrgentInboxCheck' implements IAgentTask but has no session kind attribute (kinds are not inherited: its base class 'InboxCheck' has [HeartbeatSession], 'UrgentInboxCheck' needs its own); add [UserSession], [HeartbeatSession], [CronSession(\"...\")] or [SubagentSession] to 'UrgentInboxCheck'"));

    [Fact]
    public Task Derived_class_with_its_own_kind_is_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [HeartbeatSession]
            public partial class InboxCheck : IAgentTask
            {
                {{Run}}
            }

            [HeartbeatSession(RingFile = "urgent-ring.json")]
            public partial class UrgentInboxCheck : InboxCheck
            {
            }
            """);

    [Fact]
    public Task Derived_class_of_an_abstract_base_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public abstract class TaskBase : IAgentTask
            {
                {{Run}}
            }

            public sealed partial class {|SKND0001:Research|} : TaskBase
            {
            }
            """);

    [Fact]
    public Task Record_class_without_kind_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public partial record {|SKND0001:ChatTurn|}(string Topic) : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Record_class_with_kind_is_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [UserSession]
            public partial record ChatTurn(string Topic) : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Struct_implementing_IAgentTask_is_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public partial struct ChatTurn : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Generic_class_without_kind_is_not_asked_for_one() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public class Wrapper<T> : IAgentTask
            {
                {{Run}}
            }

            public class Outer<T>
            {
                public class Inner : IAgentTask
                {
                    {{Run}}
                }
            }
            """);

    [Fact]
    public Task Nested_class_without_kind_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public partial class Agent
            {
                public partial class {|SKND0001:ChatTurn|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """);

    [Fact]
    public Task Kind_attribute_that_does_not_bind_is_left_to_the_compiler() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            namespace App;

            [{|#0:UserSession|}]
            public partial class ChatTurn : SessionKinds.IAgentTask
            {
                public ValueTask<SessionKinds.TaskReply> RunAsync(SessionKinds.TaskContext context, CancellationToken cancellationToken) => default;
            }

            [{|#1:Serializable|}]
            public partial class {|SKND0001:Research|} : SessionKinds.IAgentTask
            {
                public ValueTask<SessionKinds.TaskReply> RunAsync(SessionKinds.TaskContext context, CancellationToken cancellationToken) => default;
            }
            """,
            DiagnosticResult.CompilerError("CS0246").WithLocation(0).WithArguments("UserSession"),
            DiagnosticResult.CompilerError("CS0246").WithLocation(0).WithArguments("UserSessionAttribute"),
            DiagnosticResult.CompilerError("CS0246").WithLocation(1).WithArguments("Serializable"),
            DiagnosticResult.CompilerError("CS0246").WithLocation(1).WithArguments("SerializableAttribute"));

    [Fact]
    public Task Generated_code_is_not_analyzed()
    {
        var test = new SessionKindsAnalyzerTest($$"""
            using SessionKinds;

            public partial class {|SKND0001:Handwritten|} : IAgentTask
            {
                {{Run}}
            }
            """);
        test.TestState.Sources.Add(("/0/Tasks.g.cs", $$"""
            // <auto-generated/>
            using SessionKinds;

            public class Generated : IAgentTask
            {
                {{Run}}
            }

            [UserSession]
            public class GeneratedNotPartial : IAgentTask
            {
                {{Run}}
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task Nothing_is_reported_without_the_SessionKinds_runtime()
    {
        var test = new SessionKindsAnalyzerTest("""
            namespace Other
            {
                public interface IAgentTask { }
                public class ChatTurn : IAgentTask { }
            }
            """, withPrelude: false);
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        return test.RunAsync();
    }
}
