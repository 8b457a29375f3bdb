using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>SKND0002: a session is started without a kind (a kind value that is not a kind, or a kindless task type).</summary>
public sealed class SessionWithoutKindTests
{
    private static string InMethod(string statements) => $$"""
        using SessionKinds;
        using SessionKinds.Testing;

        public static class Host
        {
            public static void Start(StoreStub store, SessionKind variable)
            {
                {{statements}}
            }
        }
        """;

    [Theory]
    [InlineData("store.StartSession({|SKND0002:SessionKind.Unspecified|}, \"k\");")]
    [InlineData("store.StartSession({|SKND0002:default|}, \"k\");")]
    [InlineData("store.StartSession({|SKND0002:default(SessionKind)|}, \"k\");")]
    [InlineData("store.StartSession({|SKND0002:(SessionKind)0|}, \"k\");")]
    [InlineData("store.StartSession({|SKND0002:0|}, \"k\");")]
    [InlineData("store.StartSession({|SKND0002:(SessionKind)42|}, \"k\");")]
    [InlineData("store.StartSession({|SKND0002:(SessionKind)(-1)|}, \"k\");")]
    [InlineData("store.StartSession({|SKND0002:SessionKind.User - 1|}, \"k\");")]
    [InlineData("store.StartSession(key: \"k\", kind: {|SKND0002:SessionKind.Unspecified|});")]
    [InlineData("StoreStub.Register({|SKND0002:default|}, \"a\", \"b\");")]
    [InlineData("_ = new SessionTaskInfo(\"App.Chat\", {|SKND0002:SessionKind.Unspecified|});")]
    [InlineData("_ = new TaskContext(\"k\", \"id\", {|SKND0002:default|}, default, null, System.TimeProvider.System);")]
    [InlineData("_ = SessionRoutes.ForKind({|SKND0002:(SessionKind)5|}, \"reply\");")]
    public Task Kind_values_that_are_not_kinds_are_reported(string statement) =>
        SessionKindsAnalyzerTest.VerifyAsync(InMethod(statement));

    [Theory]
    [InlineData("store.StartSession(SessionKind.User, \"k\");")]
    [InlineData("store.StartSession(SessionKind.Heartbeat, \"k\");")]
    [InlineData("store.StartSession(SessionKind.Cron, \"k\");")]
    [InlineData("store.StartSession(SessionKind.Subagent, \"k\");")]
    [InlineData("store.StartSession((SessionKind)1, \"k\");")]
    [InlineData("store.StartSession(variable, \"k\");")]
    [InlineData("store.StartSession(variable == SessionKind.Unspecified ? SessionKind.User : variable, \"k\");")]
    [InlineData("StoreStub.Optional();")]
    [InlineData("StoreStub.Nullable(default);")]
    [InlineData("StoreStub.Nullable(null);")]
    [InlineData("_ = variable == SessionKind.Unspecified;")]
    [InlineData("_ = System.Enum.IsDefined(SessionKind.Unspecified);")]
    [InlineData("Local(SessionKind.Unspecified); static void Local(SessionKind kind) { }")]
    public Task Defined_kinds_unknown_values_and_other_apis_are_not_reported(string statement) =>
        SessionKindsAnalyzerTest.VerifyAsync(InMethod(statement));

    [Fact]
    public Task Unspecified_through_using_static_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds.Testing;
            using static SessionKinds.SessionKind;

            public static class Host
            {
                public static void Start(StoreStub store) => store.StartSession({|SKND0002:Unspecified|}, "k");

                public static void StartUser(StoreStub store) => store.StartSession(User, "k");
            }
            """);

    [Fact]
    public Task Unspecified_through_a_const_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                private const SessionKind NoKind = SessionKind.Unspecified;
                private const SessionKind Chat = SessionKind.User;

                public static void Start(StoreStub store)
                {
                    const SessionKind local = default;
                    store.StartSession({|SKND0002:NoKind|}, "a");
                    store.StartSession({|SKND0002:local|}, "b");
                    store.StartSession(Chat, "c");
                }
            }
            """);

    [Fact]
    public Task Target_typed_default_and_undefined_cast_messages_say_what_to_pass() =>
        SessionKindsAnalyzerTest.VerifyAsync(
            InMethod("store.StartSession({|#0:default|}, \"k\"); store.StartSession({|#1:(SessionKind)42|}, \"k\");"),
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("The argument 'default' of 'StoreStub.StartSession' has no session kind: its value is SessionKind.Unspecified; pass SessionKind.User, SessionKind.Heartbeat, SessionKind.Cron or SessionKind.Subagent"),
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error)
                .WithLocation(1)
                .WithMessage("The argument '(SessionKind)42' of 'StoreStub.StartSession' has no session kind: its value 42 is not a defined SessionKind; pass SessionKind.User, SessionKind.Heartbeat, SessionKind.Cron or SessionKind.Subagent"));

    [Fact]
    public Task Kind_arguments_of_apis_outside_the_SessionKinds_namespace_are_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            namespace App
            {
                public static class MyRouter
                {
                    public static void Route(SessionKind kind) { }

                    public static void Use() => Route(SessionKind.Unspecified);
                }
            }
            """);

    [Fact]
    public Task Kind_arguments_of_apis_in_a_nested_SessionKinds_namespace_are_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds;

            namespace SessionKinds.Hosting
            {
                public static class Dispatcher
                {
                    public static void Dispatch(SessionKind kind) { }
                }
            }

            namespace App
            {
                public static class Use
                {
                    public static void Run() => SessionKinds.Hosting.Dispatcher.Dispatch({|SKND0002:default|});
                }
            }
            """);

    [Fact]
    public Task Starting_a_session_without_a_kind_on_the_real_store_is_reported_at_the_exact_argument()
    {
        // No prelude and no stubs: SessionStore and FileSessionStore come from the real SessionKinds.dll.
        var test = new SessionKindsAnalyzerTest("""
            using System.Threading;
            using System.Threading.Tasks;
            using SessionKinds;

            public static class Host
            {
                public static void Start(SessionStore store, FileSessionStore fileStore)
                {
                    store.StartSession({|#0:SessionKind.Unspecified|}, "agent:main:1");
                    fileStore.StartSession({|#1:default|}, "agent:main:2", prompt: null);
                    store.{|#2:StartSession<{|#3:KindlessTask|}>|}("agent:main:3");
                    fileStore.{|#4:StartSession<{|#5:KindlessTask|}>|}("agent:main:4");
                    fileStore.StartSession(SessionKind.User, "agent:main:5");
                }
            }

            public partial class {|#6:KindlessTask|} : IAgentTask
            {
                public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => default;
            }
            """, withPrelude: false);
        const string Kinds = "pass SessionKind.User, SessionKind.Heartbeat, SessionKind.Cron or SessionKind.Subagent";
        const string AddKind = "add [UserSession], [HeartbeatSession], [CronSession(\"...\")] or [SubagentSession] to 'KindlessTask' so that it can be used as 'TTask' of 'SessionStore.StartSession<TTask>'";
        test.ExpectedDiagnostics.AddRange(
        [
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("The argument 'SessionKind.Unspecified' of 'SessionStore.StartSession' has no session kind: its value is SessionKind.Unspecified; " + Kinds),
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error)
                .WithLocation(1)
                .WithMessage("The argument 'default' of 'SessionStore.StartSession' has no session kind: its value is SessionKind.Unspecified; " + Kinds),
            DiagnosticResult.CompilerError("CS0311").WithLocation(2).WithArguments("SessionKinds.SessionStore.StartSession<TTask>(string, string?)", "SessionKinds.ISessionTask", "TTask", "KindlessTask"),
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error).WithLocation(3).WithMessage("'KindlessTask' has no session kind: " + AddKind),
            DiagnosticResult.CompilerError("CS0311").WithLocation(4).WithArguments("SessionKinds.SessionStore.StartSession<TTask>(string, string?)", "SessionKinds.ISessionTask", "TTask", "KindlessTask"),
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error).WithLocation(5).WithMessage("'KindlessTask' has no session kind: " + AddKind),
            new DiagnosticResult("SKND0001", DiagnosticSeverity.Error).WithLocation(6),
        ]);
        Assert.EndsWith("SessionKinds.dll", ((PortableExecutableReference)TestReferences.SessionKindsRuntime).FilePath, StringComparison.Ordinal);
        return test.RunAsync();
    }

    private const string Tasks = $$"""
        public partial class Kindless : IAgentTask
        {
            {{Run}}
        }

        [UserSession]
        public partial class ChatTurn : IAgentTask
        {
            {{Run}}
        }

        // Stands in for the generator's output, which implements ISessionTask on every kinded task.
        public partial class ChatTurn : ISessionTask
        {
            public static SessionTaskInfo SessionInfo => new("ChatTurn", SessionKind.User);

            public static ReplyRoute Route(string reply) => default;
        }
        """;

    [Fact]
    public Task Kindless_type_argument_is_reported_beside_the_compiler_error() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Start(StoreStub store)
                {
                    store.{|CS0311:StartSession<{|SKND0002:Kindless|}>|}("k");
                    store.StartSession<ChatTurn>("k");
                    RegistrationStub.{|CS0311:For<{|SKND0002:Kindless|}>|}();
                }
            }

            public partial class {|SKND0001:Kindless|} : IAgentTask
            {
                {{Run}}
            }

            [UserSession]
            public partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }

            public partial class ChatTurn : ISessionTask
            {
                public static SessionTaskInfo SessionInfo => new("ChatTurn", SessionKind.User);

                public static ReplyRoute Route(string reply) => default;
            }
            """);

    [Fact]
    public Task Kindless_type_argument_message_names_the_type_and_the_attributes() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Start(StoreStub store) => store.{|#0:StartSession<{|#1:Kindless|}>|}("k");
            }

            public class {|#2:Kindless|} : IAgentTask
            {
                {{Run}}
            }
            """,
            DiagnosticResult.CompilerError("CS0311").WithLocation(0).WithArguments("SessionKinds.Testing.StoreStub.StartSession<TTask>(string, string?)", "SessionKinds.ISessionTask", "TTask", "Kindless"),
            new DiagnosticResult("SKND0001", DiagnosticSeverity.Error).WithLocation(2),
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error)
                .WithLocation(1)
                .WithMessage("'Kindless' has no session kind: add [UserSession], [HeartbeatSession], [CronSession(\"...\")] or [SubagentSession] to 'Kindless' so that it can be used as 'TTask' of 'StoreStub.StartSession<TTask>'"));

    [Fact]
    public Task Inferred_kindless_type_argument_is_reported_on_the_argument() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Run(StoreStub store, Kindless kindless, ChatTurn chat)
                {
                    store.{|CS0311:RunAsync|}({|SKND0002:kindless|});
                    store.{|CS0311:RunAsync|}(cancellationToken: default, task: {|SKND0002:kindless|});
                    store.RunAsync(chat);
                }
            }

            {{Tasks.Replace("public partial class Kindless", "public partial class {|SKND0001:Kindless|}")}}
            """);

    [Fact]
    public Task Kindless_type_argument_of_a_generic_type_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;
            using SessionKinds.Testing;

            public class Host
            {
                private RingStub<{|SKND0002:Kindless|}>? {|CS0311:_ring|};
                public object Make() => new RingStub<{|#0:Kindless|}>();
                public System.Type Type => typeof(RingStub<{|#1:Kindless|}>);
            }

            public sealed partial class {|SKND0001:Kindless|} : IAgentTask
            {
                {{Run}}
            }
            """,
            DiagnosticResult.CompilerError("CS0311").WithLocation(0).WithArguments("SessionKinds.Testing.RingStub<TTask>", "SessionKinds.IHeartbeatSessionTask", "TTask", "Kindless"),
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error).WithLocation(0),
            DiagnosticResult.CompilerError("CS0311").WithLocation(1).WithArguments("SessionKinds.Testing.RingStub<TTask>", "SessionKinds.IHeartbeatSessionTask", "TTask", "Kindless"),
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error).WithLocation(1));

    [Fact]
    public Task Kindless_type_argument_of_a_user_generic_method_constrained_to_a_derived_interface_is_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;

            public static class Host
            {
                public static void Ring<T>() where T : IHeartbeatSessionTask { }

                public static void Use() => {|CS0311:Ring<{|SKND0002:Kindless|}>|}();
            }

            public partial class {|SKND0001:Kindless|} : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Derived_type_argument_of_a_kinded_base_is_reported_even_when_it_compiles() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Start(StoreStub store) => store.StartSession<{|#0:UrgentChat|}>("k");
            }

            {{Tasks.Replace("public partial class Kindless", "public partial class {|SKND0001:Kindless|}")}}

            public partial class {|SKND0001:UrgentChat|} : ChatTurn
            {
            }
            """,
            new DiagnosticResult("SKND0002", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithMessage("'UrgentChat' has no session kind: kinds are not inherited from its base class 'ChatTurn'; add [UserSession], [HeartbeatSession], [CronSession(\"...\")] or [SubagentSession] to 'UrgentChat' so that it can be used as 'TTask' of 'StoreStub.StartSession<TTask>'"));

    [Fact]
    public Task Type_parameters_interfaces_and_unconstrained_generics_are_not_reported() =>
        SessionKindsAnalyzerTest.VerifyAsync($$"""
            using System.Collections.Generic;
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Forward<T>(StoreStub store) where T : ISessionTask => store.StartSession<T>("k");

                public static List<Kindless> All() => new List<Kindless>();
            }

            public partial class {|SKND0001:Kindless|} : IAgentTask
            {
                {{Run}}
            }
            """);

    [Fact]
    public Task Classes_that_are_not_tasks_from_metadata_are_left_to_the_compiler() =>
        SessionKindsAnalyzerTest.VerifyAsync("""
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Start(StoreStub store) => store.{|CS0311:StartSession<string>|}("k");
            }
            """);
}
