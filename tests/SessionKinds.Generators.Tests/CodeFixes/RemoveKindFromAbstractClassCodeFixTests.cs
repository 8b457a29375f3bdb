using SessionKinds.CodeFixes;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.CodeFixes;

/// <summary>SKND0010 fix: remove the kind attribute(s) from an abstract class, from every part, keeping everything else.</summary>
public sealed class RemoveKindFromAbstractClassCodeFixTests
{
    [Fact]
    public Task Remove_deletes_the_attribute_and_keeps_the_doc_comment() =>
        new SessionKindsCodeFixTest<RemoveKindFromAbstractClassCodeFixProvider>($$"""
            using SessionKinds;

            /// <summary>Every mailbox check.</summary>
            [HeartbeatSession(RingSize = 20)]
            public abstract partial class {|SKND0010:MailboxCheck|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            /// <summary>Every mailbox check.</summary>
            public abstract partial class MailboxCheck : IAgentTask
            {
                {{Run}}
            }
            """, RemoveKindFromAbstractClassCodeFixProvider.EquivalenceKey).RunAsync();

    [Fact]
    public Task Remove_takes_every_kind_from_every_part_and_keeps_other_attributes()
    {
        var test = new SessionKindsCodeFixTest<RemoveKindFromAbstractClassCodeFixProvider>($$"""
            using System;
            using SessionKinds;

            namespace App
            {
                [Serializable, UserSession] // the base of every chat
                [Obsolete]
                public abstract partial class {|SKND0010:ChatBase|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """, $$"""
            using System;
            using SessionKinds;

            namespace App
            {
                [Serializable] // the base of every chat
                [Obsolete]
                public abstract partial class ChatBase : IAgentTask
                {
                    {{Run}}
                }
            }
            """, RemoveKindFromAbstractClassCodeFixProvider.EquivalenceKey);
        test.TestState.Sources.Add(("/0/ChatBase.Part2.cs", """
            namespace App
            {
                [SessionKinds.SubagentSession]
                partial class ChatBase
                {
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/ChatBase.Part2.cs", """
            namespace App
            {
                partial class ChatBase
                {
                }
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_all_removes_the_attribute_of_every_abstract_class_and_leaves_concrete_tasks_alone() =>
        new SessionKindsCodeFixTest<RemoveKindFromAbstractClassCodeFixProvider>($$"""
            using SessionKinds;

            [UserSession]
            public abstract class {|SKND0010:A|} : IAgentTask
            {
                {{Run}}
            }

            [CronSession("@daily")]
            public abstract class {|SKND0010:B|} : IAgentTask
            {
                {{Run}}
            }

            [SubagentSession]
            public sealed partial class C : A
            {
            }
            """, $$"""
            using SessionKinds;

            public abstract class A : IAgentTask
            {
                {{Run}}
            }

            public abstract class B : IAgentTask
            {
                {{Run}}
            }

            [SubagentSession]
            public sealed partial class C : A
            {
            }
            """, RemoveKindFromAbstractClassCodeFixProvider.EquivalenceKey).RunAsync();
}
