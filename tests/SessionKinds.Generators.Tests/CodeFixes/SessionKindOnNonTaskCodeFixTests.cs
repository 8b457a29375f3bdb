using SessionKinds.CodeFixes;
using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.CodeFixes;

/// <summary>SKND0007 fixes: remove the attribute, or implement IAgentTask.</summary>
public sealed class SessionKindOnNonTaskCodeFixTests
{
    [Fact]
    public Task Remove_deletes_the_attribute_and_keeps_the_doc_comment() =>
        new SessionKindsCodeFixTest<SessionKindOnNonTaskCodeFixProvider>("""
            using SessionKinds;

            /// <summary>Settings.</summary>
            [HeartbeatSession(RingSize = 5)]
            public class {|SKND0007:Settings|}
            {
            }
            """, """
            using SessionKinds;

            /// <summary>Settings.</summary>
            public class Settings
            {
            }
            """, SessionKindOnNonTaskCodeFixProvider.RemoveEquivalenceKey).RunAsync();

    [Fact]
    public Task Remove_keeps_other_attributes_of_the_list() =>
        new SessionKindsCodeFixTest<SessionKindOnNonTaskCodeFixProvider>("""
            using System;
            using SessionKinds;

            namespace App
            {
                [Serializable, UserSession, CronSession("@daily")]
                [Obsolete]
                public class {|SKND0007:Settings|}
                {
                }
            }
            """, """
            using System;
            using SessionKinds;

            namespace App
            {
                [Serializable]
                [Obsolete]
                public class Settings
                {
                }
            }
            """, SessionKindOnNonTaskCodeFixProvider.RemoveEquivalenceKey).RunAsync();

    [Fact]
    public Task Implement_adds_the_interface_and_a_stub_for_each_member() =>
        new SessionKindsCodeFixTest<SessionKindOnNonTaskCodeFixProvider>("""
            using SessionKinds;

            namespace App;

            /// <summary>Chat.</summary>
            [UserSession]
            public partial class {|SKND0007:ChatTurn|}
            {
                public string Topic { get; set; } = "";
            }
            """, """
            using System;
            using SessionKinds;

            namespace App;

            /// <summary>Chat.</summary>
            [UserSession]
            public partial class ChatTurn : IAgentTask
            {
                public string Topic { get; set; } = "";

                public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken)
                {
                    throw new NotImplementedException();
                }
            }
            """, SessionKindOnNonTaskCodeFixProvider.ImplementEquivalenceKey).RunAsync();

    [Fact]
    public Task Implement_adds_the_usings_the_stub_needs() =>
        new SessionKindsCodeFixTest<SessionKindOnNonTaskCodeFixProvider>("""
            namespace App
            {
                [SessionKinds.HeartbeatSession]
                internal sealed partial class {|SKND0007:Check|}
                {
                }
            }
            """, """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using SessionKinds;

            namespace App
            {
                [SessionKinds.HeartbeatSession]
                internal sealed partial class Check : IAgentTask
                {
                    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken)
                    {
                        throw new NotImplementedException();
                    }
                }
            }
            """, SessionKindOnNonTaskCodeFixProvider.ImplementEquivalenceKey, withPrelude: false).RunAsync();

    [Fact]
    public Task Implement_appends_to_an_existing_base_list_and_keeps_an_existing_RunAsync() =>
        new SessionKindsCodeFixTest<SessionKindOnNonTaskCodeFixProvider>("""
            using System;
            using SessionKinds;

            [SubagentSession]
            public partial class {|SKND0007:Research|} : IDisposable
            {
                public void Dispose() { }

                public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => default;
            }
            """, """
            using System;
            using SessionKinds;

            [SubagentSession]
            public partial class Research : IDisposable, IAgentTask
            {
                public void Dispose() { }

                public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => default;
            }
            """, SessionKindOnNonTaskCodeFixProvider.ImplementEquivalenceKey).RunAsync();

    [Fact]
    public Task Implement_makes_the_new_task_and_its_containers_partial() =>
        new SessionKindsCodeFixTest<SessionKindOnNonTaskCodeFixProvider>("""
            using SessionKinds;

            public static class Agent
            {
                [CronSession("@daily")]
                sealed class {|SKND0007:Nightly|}
                {
                }
            }
            """, """
            using System;
            using SessionKinds;

            public static partial class Agent
            {
                [CronSession("@daily")]
                sealed partial class Nightly : IAgentTask
                {
                    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken)
                    {
                        throw new NotImplementedException();
                    }
                }
            }
            """, SessionKindOnNonTaskCodeFixProvider.ImplementEquivalenceKey).RunAsync();

    [Fact]
    public Task Implement_is_not_offered_for_a_static_class()
    {
        var source = """
            using SessionKinds;

            [UserSession]
            public static class {|SKND0007:Helpers|}
            {
            }
            """;
        return new SessionKindsCodeFixTest<SessionKindOnNonTaskCodeFixProvider>(source, source, SessionKindOnNonTaskCodeFixProvider.ImplementEquivalenceKey).RunAsync();
    }

    [Fact]
    public Task Implement_is_not_offered_for_an_abstract_class()
    {
        // As an IAgentTask it would still not be completed: its attribute would have no effect (SKND0010).
        var source = """
            using SessionKinds;

            [UserSession]
            public abstract partial class {|SKND0007:ChatBase|}
            {
            }
            """;
        return new SessionKindsCodeFixTest<SessionKindOnNonTaskCodeFixProvider>(source, source, SessionKindOnNonTaskCodeFixProvider.ImplementEquivalenceKey).RunAsync();
    }

    [Fact]
    public Task Fix_all_removes_every_useless_attribute() =>
        new SessionKindsCodeFixTest<SessionKindOnNonTaskCodeFixProvider>("""
            using SessionKinds;

            [UserSession]
            public class {|SKND0007:A|}
            {
            }

            [CronSession("@daily")]
            public class {|SKND0007:B|}
            {
            }
            """, """
            using SessionKinds;

            public class A
            {
            }

            public class B
            {
            }
            """, SessionKindOnNonTaskCodeFixProvider.RemoveEquivalenceKey).RunAsync();
}
