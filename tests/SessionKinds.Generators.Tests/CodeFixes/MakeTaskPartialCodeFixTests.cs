using SessionKinds.CodeFixes;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.CodeFixes;

/// <summary>SKND0004 fix: add 'partial' to every declaration of the task and of its containing types, across files.</summary>
public sealed class MakeTaskPartialCodeFixTests
{
    [Fact]
    public Task Partial_goes_right_before_the_type_keyword() =>
        new SessionKindsCodeFixTest<MakeTaskPartialCodeFixProvider>($$"""
            using SessionKinds;

            /// <summary>Chat.</summary>
            [UserSession]
            public sealed class {|SKND0004:ChatTurn|} : IAgentTask
            {
                {{Run}}
            }
            """, $$"""
            using SessionKinds;

            /// <summary>Chat.</summary>
            [UserSession]
            public sealed partial class ChatTurn : IAgentTask
            {
                {{Run}}
            }
            """, MakeTaskPartialCodeFixProvider.EquivalenceKey).RunAsync();

    [Fact]
    public Task Declaration_without_modifiers_keeps_its_comments_and_indentation() =>
        new SessionKindsCodeFixTest<MakeTaskPartialCodeFixProvider>($$"""
            using SessionKinds;

            namespace App
            {
                // The chat task.
                [UserSession] record {|SKND0004:ChatTurn|}(string Topic) : IAgentTask
                {
                    {{Run}}
                }
            }
            """, $$"""
            using SessionKinds;

            namespace App
            {
                // The chat task.
                [UserSession] partial record ChatTurn(string Topic) : IAgentTask
                {
                    {{Run}}
                }
            }
            """, MakeTaskPartialCodeFixProvider.EquivalenceKey).RunAsync();

    [Fact]
    public Task Task_and_every_container_are_made_partial_across_files()
    {
        var test = new SessionKindsCodeFixTest<MakeTaskPartialCodeFixProvider>($$"""
            using SessionKinds;

            /// <summary>The agent.</summary>
            public static class {|CS0260:{|SKND0004:Agent|}|}
            {
                internal class {|SKND0004:Tasks|}
                {
                    [HeartbeatSession]
                    class {|SKND0004:InboxCheck|} : IAgentTask
                    {
                        {{Run}}
                    }
                }
            }
            """, $$"""
            using SessionKinds;

            /// <summary>The agent.</summary>
            public static partial class Agent
            {
                internal partial class Tasks
                {
                    [HeartbeatSession]
                    partial class InboxCheck : IAgentTask
                    {
                        {{Run}}
                    }
                }
            }
            """, MakeTaskPartialCodeFixProvider.EquivalenceKey);
        test.TestState.Sources.Add(("/0/Agent.Other.cs", """
            public static partial class Agent
            {
                public static int Version => 1;
            }
            """));
        test.FixedState.Sources.Add(("/0/Agent.Other.cs", """
            public static partial class Agent
            {
                public static int Version => 1;
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task Container_diagnostic_alone_is_fixed_by_making_the_chain_partial() =>
        new SessionKindsCodeFixTest<MakeTaskPartialCodeFixProvider>($$"""
            using SessionKinds;

            public class {|SKND0004:Agent|}
            {
                public partial class Tasks
                {
                    [SubagentSession]
                    public partial class Research : IAgentTask
                    {
                        {{Run}}
                    }
                }
            }
            """, $$"""
            using SessionKinds;

            public partial class Agent
            {
                public partial class Tasks
                {
                    [SubagentSession]
                    public partial class Research : IAgentTask
                    {
                        {{Run}}
                    }
                }
            }
            """, MakeTaskPartialCodeFixProvider.EquivalenceKey).RunAsync();

    [Fact]
    public Task Second_declaration_missing_partial_is_fixed_too()
    {
        var test = new SessionKindsCodeFixTest<MakeTaskPartialCodeFixProvider>($$"""
            using SessionKinds;

            [UserSession]
            public partial class ChatTurn : IAgentTask
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
            """, MakeTaskPartialCodeFixProvider.EquivalenceKey);
        test.TestState.Sources.Add(("/0/ChatTurn.More.cs", """
            public class {|CS0260:{|SKND0004:ChatTurn|}|}
            {
            }
            """));
        test.FixedState.Sources.Add(("/0/ChatTurn.More.cs", """
            public partial class ChatTurn
            {
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_all_makes_every_task_partial_in_document_project_and_solution()
    {
        var test = new SessionKindsCodeFixTest<MakeTaskPartialCodeFixProvider>($$"""
            using SessionKinds;

            [UserSession]
            public class {|SKND0004:ChatTurn|} : IAgentTask
            {
                {{Run}}
            }

            [CronSession("@daily")]
            internal sealed class {|SKND0004:Nightly|} : IAgentTask
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

            [CronSession("@daily")]
            internal sealed partial class Nightly : IAgentTask
            {
                {{Run}}
            }
            """, MakeTaskPartialCodeFixProvider.EquivalenceKey);
        AddSessionKindCodeFixTests.AddOtherProject(test, "[SubagentSession]\nclass {|SKND0004:Remote|} : IAgentTask", "[SubagentSession]\npartial class Remote : IAgentTask");
        return test.RunAsync();
    }
}
