using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>SKND0003 (several kinds), SKND0004 (not partial), SKND0007 (kind on a non-task), SKND0009 (generic task), SKND0011 (cannot be completed).</summary>
public sealed class TaskDeclarationTests
{
    [Fact]
    public Task Two_kinds_are_reported_on_the_identifier_with_both_attributes_named() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [UserSession]
            [CronSession("0 7 * * *")]
            public partial class {|#0:MorningBrief|} : IAgentTask
            {
                {{Run}}
            }
            """,
            new DiagnosticResult("SKND0003", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'MorningBrief' has more than one session kind attribute ([UserSession], [CronSession]); keep exactly one"));

    [Fact]
    public Task Kinds_spread_over_the_parts_of_a_partial_class_are_counted_together() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [HeartbeatSession]
            public partial class {|SKND0003:InboxCheck|} : IAgentTask
            {
                {{Run}}
            }

            [SubagentSession]
            public partial class InboxCheck
            {
            }
            """);

    [Fact]
    public Task One_kind_is_not_reported_as_several() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [SubagentSession, System.Obsolete]
            public partial class Research : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Task_that_is_not_partial_is_reported_on_its_identifier() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [UserSession]
            public sealed class {|#0:ChatTurn|} : IAgentTask
            {
                {{Run}}
            }
            """,
            new DiagnosticResult("SKND0004", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'ChatTurn' must be partial so that the SessionKinds generator can complete it; add the 'partial' modifier to every declaration of 'ChatTurn'"));

    [Fact]
    public Task Containing_type_that_is_not_partial_is_reported_on_its_identifier() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public static class {|#0:Agent|}
            {
                public static partial class {|#1:Tasks|}
                {
                    [UserSession]
                    public partial class ChatTurn : IAgentTask
                    {
                        {{Run}}
                    }
                }
            }
            """,
            new DiagnosticResult("SKND0004", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'Agent' must be partial because it contains the session task 'Agent.Tasks.ChatTurn'; add the 'partial' modifier to every declaration of 'Agent'"));

    [Fact]
    public Task Task_and_containers_that_are_not_partial_are_each_reported_once() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public class {|SKND0004:Agent|}
            {
                [UserSession]
                public class {|SKND0004:ChatTurn|} : IAgentTask
                {
                    {{Run}}
                }

                [SubagentSession]
                public class {|SKND0004:Research|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """);

    [Fact]
    public Task Partial_task_in_partial_containers_is_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public partial record Agent(string Name)
            {
                public partial struct Tasks
                {
                    [UserSession]
                    public partial class ChatTurn : IAgentTask
                    {
                        {{Run}}
                    }
                }
            }
            """);

    [Fact]
    public Task Type_without_tasks_inside_need_not_be_partial() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public class Agent
            {
                public class Helper { }

                public class {|SKND0001:Kindless|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """);

    [Fact]
    public Task Kind_on_a_type_that_is_not_a_task_is_a_warning_that_names_the_attribute() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            [HeartbeatSession]
            public class {|#0:Settings|}
            {
            }
            """,
            new DiagnosticResult("SKND0007", DiagnosticSeverity.Warning)
                .WithLocation(0)
                .WithMessage("'Settings' has [HeartbeatSession] but does not implement IAgentTask, so the attribute has no effect; implement IAgentTask or remove the attribute"));

    [Fact]
    public Task Kind_on_an_abstract_class_that_is_not_a_task_is_reported_and_not_asked_to_be_partial() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            [UserSession, CronSession("@daily")]
            public abstract class {|SKND0007:Helper|}
            {
            }
            """);

    [Fact]
    public Task Kind_on_a_concrete_task_is_not_reported_as_useless() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [UserSession]
            public sealed partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Generic_task_is_reported_and_not_asked_to_be_partial() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [UserSession]
            public class {|#0:Wrapper|}<T> : IAgentTask
            {
                {{Run}}
            }
            """,
            new DiagnosticResult("SKND0009", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'Wrapper<T>' is generic, but session tasks cannot be generic and the generator skips it; remove the type parameters or move the task out of the generic type"));

    [Fact]
    public Task Task_nested_in_a_generic_type_is_reported_and_its_container_is_not_asked_to_be_partial() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public class Agent<TState>
            {
                [SubagentSession]
                public partial class {|#0:Research|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """,
            new DiagnosticResult("SKND0009", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'Agent<TState>.Research' is nested in the generic type 'Agent<TState>', but session tasks cannot be generic and the generator skips it; remove the type parameters or move the task out of the generic type"));

    [Fact]
    public Task File_local_task_is_reported_because_it_cannot_be_completed() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [HeartbeatSession]
            file sealed partial class {|#0:InboxCheck|} : IAgentTask
            {
                {{Run}}
            }
            """,
            new DiagnosticResult("SKND0011", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'InboxCheck' is file-local, so the generator cannot complete it from a file of its own and it could not be started; remove the 'file' modifier (use 'internal' to keep it in this assembly)"));

    [Fact]
    public Task Task_nested_in_a_file_local_type_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            file static partial class Tasks
            {
                [CronSession("0 7 * * *")]
                public sealed partial class {|#0:MorningBrief|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """,
            new DiagnosticResult("SKND0011", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'Tasks.MorningBrief' is nested in the file-local type 'Tasks', so the generator cannot complete it from a file of its own and it could not be started; remove the 'file' modifier (use 'internal' to keep it in this assembly)"));

    [Fact]
    public Task Task_named_like_the_generated_registry_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            namespace SessionKinds.Generated
            {
                [UserSession]
                public sealed partial class {|#0:SessionTasks|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """,
            new DiagnosticResult("SKND0011", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'SessionTasks' has the name of the registry the generator writes (SessionKinds.Generated.SessionTasks), so it cannot be completed; rename it"));

    [Fact]
    public Task File_local_class_without_a_kind_attribute_is_not_reported_as_uncompletable() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            file sealed class Helper
            {
            }
            """);

    [Fact]
    public Task Generic_type_that_is_not_a_task_gets_the_useless_attribute_warning_only() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            [UserSession]
            public class {|SKND0007:Box|}<T>
            {
            }
            """);

    [Fact]
    public Task Kind_attribute_on_a_struct_is_a_compiler_error_only() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [{|CS0592:UserSession|}]
            public partial struct ChatTurn : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Kind_attribute_on_a_record_struct_is_the_compilers_CS0592_only() =>
        // AttributeUsage(AttributeTargets.Class): a user sees "Attribute 'UserSession' is not valid on this declaration
        // type. It is only valid on 'class' declarations." Record classes are tasks; record structs and structs cannot be.
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            [{|#0:UserSession|}]
            public partial record struct ChatTurn(string Topic) : IAgentTask
            {
                {{Run}}
            }
            """,
            DiagnosticResult.CompilerError("CS0592").WithLocation(0).WithArguments("UserSession", "class"));
}
