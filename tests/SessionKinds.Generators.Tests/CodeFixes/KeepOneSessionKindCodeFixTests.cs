using SessionKinds.CodeFixes;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.CodeFixes;

/// <summary>SKND0003 fix: keep one kind attribute, one action per attribute present; lists, comments and doc comments survive.</summary>
public sealed class KeepOneSessionKindCodeFixTests
{
    [Fact]
    public Task Keeping_one_removes_the_other_list_and_keeps_the_doc_comment() =>
        new SessionKindsCodeFixTest<KeepOneSessionKindCodeFixProvider>($$"""
            using SessionKinds;

            /// <summary>Morning brief.</summary>
            [UserSession]
            [CronSession("0 7 * * *")]
            public partial class {|SKND0003:MorningBrief|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            /// <summary>Morning brief.</summary>
            [CronSession("0 7 * * *")]
            public partial class MorningBrief : IAgentTask
            {
                {{Run}}
            }
            """, KeepOneSessionKindCodeFixProvider.EquivalenceKey("Cron")).RunAsync();

    [Fact]
    public Task Keeping_the_first_moves_the_doc_comment_nowhere() =>
        new SessionKindsCodeFixTest<KeepOneSessionKindCodeFixProvider>($$"""
            using SessionKinds;

            /// <summary>Morning brief.</summary>
            [UserSession]
            [CronSession("0 7 * * *")] // every morning
            public partial class {|SKND0003:MorningBrief|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            /// <summary>Morning brief.</summary>
            [UserSession]
            // every morning
            public partial class MorningBrief : IAgentTask
            {
                {{Run}}
            }
            """, KeepOneSessionKindCodeFixProvider.EquivalenceKey("User")).RunAsync();

    [Fact]
    public Task Other_attributes_in_the_same_list_stay() =>
        new SessionKindsCodeFixTest<KeepOneSessionKindCodeFixProvider>($$"""
            using System;
            using SessionKinds;

            [Serializable, HeartbeatSession(RingSize = 10), Obsolete]
            [SubagentSession]
            public partial class {|SKND0003:Check|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using System;
            using SessionKinds;

            [Serializable, Obsolete]
            [SubagentSession]
            public partial class Check : IAgentTask
            {
                {{Run}}
            }
            """, KeepOneSessionKindCodeFixProvider.EquivalenceKey("Subagent")).RunAsync();

    [Fact]
    public Task Removing_the_only_attribute_of_the_first_list_hands_its_doc_comment_to_the_modifiers() =>
        new SessionKindsCodeFixTest<KeepOneSessionKindCodeFixProvider>($$"""
            using SessionKinds;

            namespace App
            {
                /// <summary>Research.</summary>
                [SubagentSession, UserSession] public partial class {|SKND0003:Research|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """, $$"""
            using SessionKinds;

            namespace App
            {
                /// <summary>Research.</summary>
                [SubagentSession] public partial class Research : IAgentTask
                {
                    {{Run}}
                }
            }
            """, KeepOneSessionKindCodeFixProvider.EquivalenceKey("Subagent")).RunAsync();

    [Fact]
    public Task Attributes_on_other_parts_in_other_files_are_removed()
    {
        var test = new SessionKindsCodeFixTest<KeepOneSessionKindCodeFixProvider>($$"""
            using SessionKinds;

            [HeartbeatSession]
            public partial class {|SKND0003:InboxCheck|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            [HeartbeatSession]
            public partial class InboxCheck : IAgentTask
            {
                {{Run}}
            }
            """, KeepOneSessionKindCodeFixProvider.EquivalenceKey("Heartbeat"));
        test.TestState.Sources.Add(("/0/InboxCheck.More.cs", """
            using SessionKinds;

            /// <summary>More of the inbox check.</summary>
            [UserSession]
            public partial class InboxCheck
            {
            }
            """));
        test.FixedState.Sources.Add(("/0/InboxCheck.More.cs", """
            using SessionKinds;

            /// <summary>More of the inbox check.</summary>
            public partial class InboxCheck
            {
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_all_keeps_the_chosen_kind_everywhere_it_is_present() =>
        new SessionKindsCodeFixTest<KeepOneSessionKindCodeFixProvider>($$"""
            using SessionKinds;

            [UserSession, CronSession("@daily")]
            public partial class {|SKND0003:A|} : IAgentTask
            {
                {{Run}}
            }

            [CronSession("@hourly")]
            [SubagentSession]
            public partial class {|SKND0003:B|} : IAgentTask
            {
                {{Run}}
            }

            [UserSession]
            [SubagentSession]
            public partial class {|SKND0003:C|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            [CronSession("@daily")]
            public partial class A : IAgentTask
            {
                {{Run}}
            }

            [CronSession("@hourly")]
            public partial class B : IAgentTask
            {
                {{Run}}
            }

            [UserSession]
            [SubagentSession]
            public partial class {|SKND0003:C|} : IAgentTask
            {
                {{Run}}
            }
            """, KeepOneSessionKindCodeFixProvider.EquivalenceKey("Cron"))
        {
            // C has no [CronSession] to keep: its diagnostic stays, and the fixed state's markup says so.
            FixedState = { MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow },
        }.RunAsync();
}
