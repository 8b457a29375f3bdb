using SessionKinds.CodeFixes;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.CodeFixes;

/// <summary>SKND0001 fix: add a session kind attribute (one action per kind), keeping trivia; make the task partial when needed.</summary>
public sealed class AddSessionKindCodeFixTests
{
    private const string Before = $$"""
        using SessionKinds;

        namespace App;

        /// <summary>Answers the user.</summary>
        public partial class {|SKND0001:ChatTurn|} : IAgentTask
        {
            {{Run}}
        }
        """;

    [Theory]
    [InlineData("User", "[UserSession]")]
    [InlineData("Heartbeat", "[HeartbeatSession]")]
    [InlineData("Cron", "[CronSession(\"0 * * * *\")]")]
    [InlineData("Subagent", "[SubagentSession]")]
    public Task Each_kind_has_its_own_action_and_keeps_the_doc_comment(string kind, string attribute) =>
        new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>(Before, $$"""
            using SessionKinds;

            namespace App;

            /// <summary>Answers the user.</summary>
            {{attribute}}
            public partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }
            """, AddSessionKindCodeFixProvider.EquivalenceKey(kind)).RunAsync();

    [Fact]
    public Task Actions_are_offered_in_kind_order_with_stable_titles()
    {
        var test = new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>(Before, $$"""
            using SessionKinds;

            namespace App;

            /// <summary>Answers the user.</summary>
            [CronSession("0 * * * *")]
            public partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }
            """)
        {
            CodeActionIndex = 2,
        };
        test.CodeActionVerifier = (action, verifier) => verifier.Equal("Add [CronSession(\"0 * * * *\")]", action.Title);
        return test.RunAsync();
    }

    [Fact]
    public Task Attribute_goes_after_existing_attributes_on_their_own_lines() =>
        new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>($$"""
            using System;
            using SessionKinds;

            namespace App
            {
                // A comment before the attributes.
                [Obsolete("Use ChatTurn2")] // why
                [Serializable]
                internal sealed partial class {|SKND0001:ChatTurn|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """, $$"""
            using System;
            using SessionKinds;

            namespace App
            {
                // A comment before the attributes.
                [Obsolete("Use ChatTurn2")] // why
                [Serializable]
                [UserSession]
                internal sealed partial class ChatTurn : IAgentTask
                {
                    {{Run}}
                }
            }
            """, AddSessionKindCodeFixProvider.EquivalenceKey("User")).RunAsync();

    [Fact]
    public Task Attribute_stays_on_the_line_of_attributes_written_inline() =>
        new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>($$"""
            using System;
            using SessionKinds;

            [Serializable] public partial class {|SKND0001:ChatTurn|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using System;
            using SessionKinds;

            [Serializable] [UserSession] public partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }
            """, AddSessionKindCodeFixProvider.EquivalenceKey("User")).RunAsync();

    [Fact]
    public Task Using_is_added_when_SessionKinds_is_not_in_scope() =>
        new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>($$"""
            using System.Threading;

            namespace App;

            public partial class {|SKND0001:ChatTurn|} : SessionKinds.IAgentTask
            {
                public System.Threading.Tasks.ValueTask<SessionKinds.TaskReply> RunAsync(SessionKinds.TaskContext context, CancellationToken cancellationToken) => default;
            }
            """, $$"""
            using System.Threading;
            using SessionKinds;

            namespace App;

            [SubagentSession]
            public partial class ChatTurn : SessionKinds.IAgentTask
            {
                public System.Threading.Tasks.ValueTask<SessionKinds.TaskReply> RunAsync(SessionKinds.TaskContext context, CancellationToken cancellationToken) => default;
            }
            """, AddSessionKindCodeFixProvider.EquivalenceKey("Subagent")).RunAsync();

    [Fact]
    public Task No_using_is_added_inside_the_SessionKinds_namespace() =>
        new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>($$"""
            namespace SessionKinds.Agents
            {
                public partial class {|SKND0001:ChatTurn|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """, $$"""
            namespace SessionKinds.Agents
            {
                [UserSession]
                public partial class ChatTurn : IAgentTask
                {
                    {{Run}}
                }
            }
            """, AddSessionKindCodeFixProvider.EquivalenceKey("User")).RunAsync();

    [Fact]
    public Task Class_that_is_not_partial_is_made_partial_with_its_containers() =>
        new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>($$"""
            using SessionKinds;

            public static class Agent
            {
                /// <summary>Checks mail.</summary>
                sealed class {|SKND0001:InboxCheck|} : IAgentTask
                {
                    {{Run}}
                }
            }
            """, $$"""
            using SessionKinds;

            public static partial class Agent
            {
                /// <summary>Checks mail.</summary>
                [HeartbeatSession]
                sealed partial class InboxCheck : IAgentTask
                {
                    {{Run}}
                }
            }
            """, AddSessionKindCodeFixProvider.EquivalenceKey("Heartbeat")).RunAsync();

    [Fact]
    public Task Class_without_modifiers_keeps_its_doc_comment_when_made_partial() =>
        new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>($$"""
            using SessionKinds;

            /// <summary>Checks mail.</summary>
            class {|SKND0001:InboxCheck|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            /// <summary>Checks mail.</summary>
            [HeartbeatSession]
            partial class InboxCheck : IAgentTask
            {
                {{Run}}
            }
            """, AddSessionKindCodeFixProvider.EquivalenceKey("Heartbeat")).RunAsync();

    [Fact]
    public Task Record_and_derived_class_get_the_attribute() =>
        new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>($$"""
            using SessionKinds;

            [HeartbeatSession]
            public partial record InboxCheck(string Folder) : IAgentTask
            {
                {{Run}}
            }

            public sealed partial record {|SKND0001:UrgentInboxCheck|}() : InboxCheck("urgent");
            """, $$"""
            using SessionKinds;

            [HeartbeatSession]
            public partial record InboxCheck(string Folder) : IAgentTask
            {
                {{Run}}
            }

            [SubagentSession]
            public sealed partial record UrgentInboxCheck() : InboxCheck("urgent");
            """, AddSessionKindCodeFixProvider.EquivalenceKey("Subagent")).RunAsync();

    [Fact]
    public Task Fix_all_adds_the_chosen_kind_to_every_task_in_document_project_and_solution()
    {
        var test = new SessionKindsCodeFixTest<AddSessionKindCodeFixProvider>($$"""
            using SessionKinds;

            public partial class {|SKND0001:ChatTurn|} : IAgentTask
            {
                {{Run}}
            }

            public partial class {|SKND0001:Research|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            [UserSession]
            public partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }

            [UserSession]
            public partial class Research : IAgentTask
            {
                {{Run}}
            }
            """, AddSessionKindCodeFixProvider.EquivalenceKey("User"));
        test.TestState.Sources.Add(("/0/Second.cs", $$"""
            using SessionKinds;

            class {|SKND0001:Planner|} : IAgentTask
            {
                {{Run}}
            }
            """));
        test.FixedState.Sources.Add(("/0/Second.cs", $$"""
            using SessionKinds;

            [UserSession]
            partial class Planner : IAgentTask
            {
                {{Run}}
            }
            """));
        AddOtherProject(test, "class {|SKND0001:Remote|} : IAgentTask", "[UserSession]\npartial class Remote : IAgentTask");
        return test.RunAsync();
    }

    /// <summary>A second project with one more task, so that FixAll in solution scope has something to reach.</summary>
    internal static void AddOtherProject<TFix>(SessionKindsCodeFixTest<TFix> test, string before, string after)
        where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
    {
        const string Header = "using System.Threading;\nusing System.Threading.Tasks;\nusing SessionKinds;\n\n";
        var body = $"\n{{\n    {Run}\n}}\n";
        var other = test.TestState.AdditionalProjects["Other"];
        HermeticReferences.Apply(other);
        other.Sources.Add(("/Other/Remote.cs", Header + before + body));
        var otherFixed = test.FixedState.AdditionalProjects["Other"];
        HermeticReferences.Apply(otherFixed);
        otherFixed.Sources.Add(("/Other/Remote.cs", Header + after + body));
    }
}
