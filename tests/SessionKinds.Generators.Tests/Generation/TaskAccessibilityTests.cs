using Microsoft.CodeAnalysis.CSharp;
using SessionKinds.Generators.Generation;
using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.Generation;

/// <summary>
/// Generated code compiles (warnings as errors) for every task a user may legally write: any accessibility, nested at
/// any depth in classes, static classes, records, structs, record structs and interfaces, in the global namespace,
/// split over files. The registry never names a type it cannot see: a task the registry cannot name is reached through
/// an internal accessor generated in the type that contains it.
/// </summary>
public sealed class TaskAccessibilityTests : IDisposable
{
    private const string Registry = "SessionKinds.Generated.SessionTasks.g.cs";

    /// <summary>Every shape, in three files.</summary>
    private static readonly string[] Sources =
    [
        $$"""
        using System.Linq;
        using System.Threading.Tasks;
        using SessionKinds;

        namespace MyApp
        {
            public static partial class Agent
            {
                [UserSession] private partial class Chat : IAgentTask { {{TaskSources.Body}} }

                [HeartbeatSession(RingFile = "agent-inbox-ring.json")] internal partial class Inbox : IAgentTask { {{TaskSources.Body}} }

                private static partial class Inner
                {
                    [SubagentSession] private partial class Deep : IAgentTask { {{TaskSources.Body}} }
                }
            }

            public partial class Host
            {
                [CronSession("0 7 * * *")] protected partial class Brief : IAgentTask { {{TaskSources.Body}} }

                [UserSession] private protected partial class Chat : IAgentTask { {{TaskSources.Body}} }

                [UserSession] protected internal partial class CHAT : IAgentTask { {{TaskSources.Body}} }

                [HeartbeatSession(RingFile = "host-pulse-ring.json")] private partial class Pulse : IAgentTask { {{TaskSources.Body}} }
            }

            internal partial struct Holder
            {
                [SubagentSession] private partial record Helper : IAgentTask { {{TaskSources.Body}} }
            }

            public partial record Settings(string Name)
            {
                [UserSession] private partial class Chat : IAgentTask { {{TaskSources.Body}} }
            }

            internal partial record struct Frame
            {
                [UserSession] private partial class Chat : IAgentTask { {{TaskSources.Body}} }
            }

            public partial interface IScope
            {
                [SubagentSession] private partial class Scoped : IAgentTask { {{TaskSources.Body}} }
            }

            public partial class Outer
            {
                private partial class Middle
                {
                    public partial class Leaf
                    {
                        [UserSession] private partial class Task : IAgentTask { {{TaskSources.Body}} }

                        [UserSession] public partial class Open : IAgentTask { {{TaskSources.Body}} }
                    }
                }
            }

            public static class Scenario
            {
                public static string[] Registry() =>
                    SessionKinds.Generated.SessionTasks.All.Select(r => r.Info.Name + "|" + r.Info.Kind).ToArray();

                public static async Task<string[]> StartEveryTaskFromTheRegistry(string folder)
                {
                    await using var store = new FileSessionStore(folder);
                    var results = new System.Collections.Generic.List<string>();
                    foreach (var registration in SessionKinds.Generated.SessionTasks.All)
                    {
                        var session = registration.StartSession(store, "registry:" + registration.Info.Name, "status?");
                        var outcome = await store.CompleteAsync(session, new TaskReply("A long and useful answer that is neither an ack nor silent, with plenty of detail for the user."));
                        results.Add(outcome.Key + "|" + outcome.Verdict);
                    }

                    return results.ToArray();
                }
            }
        }
        """,
        $$"""
        // The global namespace, and a task split over two files (the attribute on the second part).
        public partial class GlobalAgent
        {
            private partial class Split : SessionKinds.IAgentTask { {{TaskSources.Body}} }
        }

        [SessionKinds.UserSession]
        internal partial class GlobalChat : SessionKinds.IAgentTask { {{TaskSources.Body}} }
        """,
        """
        partial class GlobalAgent
        {
            [SessionKinds.SubagentSession]
            partial class Split
            {
            }
        }
        """,
    ];

    private static readonly Lazy<CompiledAgent> Agent = new(() => CompiledAgent.Build(Sources));

    private readonly string _folder = Directory.CreateTempSubdirectory("sessionkinds-accessibility-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, bool> Accessibilities => new()
    {
        { "public", false },
        { "internal", false },
        { "protected internal", false },
        { "private", true },
        { "protected", true },
        { "private protected", true },
    };

    [Theory]
    [MemberData(nameof(Accessibilities))]
    public void A_nested_task_of_any_accessibility_compiles_and_is_listed(string accessibility, bool throughAccessor)
    {
        var output = GeneratorHarness.Run($$"""
            namespace MyApp;

            public partial class Outer
            {
                [SessionKinds.HeartbeatSession]
                {{accessibility}} partial class InboxCheck : SessionKinds.IAgentTask
                {
                    {{TaskSources.Body}}
                }
            }
            """);

        GeneratorHarness.AssertClean(output.Compilation);
        var registry = output.Source(Registry);
        var task = output.Source("MyApp.Outer+InboxCheck.g.cs");
        if (throughAccessor)
        {
            Assert.Contains("global::MyApp.Outer.SessionKindsRegistration_5Outer_10InboxCheck(),", registry, StringComparison.Ordinal);
            Assert.Contains("internal static global::SessionKinds.SessionTaskRegistration SessionKindsRegistration_5Outer_10InboxCheck() =>", task, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("global::SessionKinds.SessionTaskRegistration.For<global::MyApp.Outer.InboxCheck>(),", registry, StringComparison.Ordinal);
            Assert.DoesNotContain("SessionKindsRegistration", task, StringComparison.Ordinal);
        }

        // Users call the ring accessor whatever the task's accessibility: it stays visible.
        Assert.Contains("public static global::SessionKinds.HeartbeatRingWriter<global::MyApp.Outer.InboxCheck> OpenHeartbeatRing(", task, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_task_two_hidden_levels_deep_is_reached_through_a_chain_of_accessors()
    {
        var output = GeneratorHarness.Run($$"""
            namespace MyApp;

            public partial class Outer
            {
                private partial class Middle
                {
                    public partial class Leaf
                    {
                        [SessionKinds.UserSession]
                        private partial class Task : SessionKinds.IAgentTask
                        {
                            {{TaskSources.Body}}
                        }
                    }
                }
            }
            """);

        GeneratorHarness.AssertClean(output.Compilation);
        var version = typeof(SessionTaskGenerator).Assembly.GetName().Version!.ToString();
        Assert.Equal(
            """
            // <auto-generated/>
            // Generated by the SessionKinds source generator; changes are lost when it runs again.
            #nullable enable

            namespace MyApp
            {
                partial class Outer
                {
                    #pragma warning disable CS0612, CS0618
                    /// <summary>The registration of <c>MyApp.Outer.Middle.Leaf.Task</c>, for the generated registry of session tasks.</summary>
                    [global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
                    [global::System.CodeDom.Compiler.GeneratedCodeAttribute("SessionKinds.Generators", "%VERSION%")]
                    internal static global::SessionKinds.SessionTaskRegistration SessionKindsRegistration_5Outer_6Middle_4Leaf_4Task() =>
                        global::MyApp.Outer.Middle.Leaf.SessionKindsRegistration_5Outer_6Middle_4Leaf_4Task();
                    #pragma warning restore CS0612, CS0618

                    partial class Middle
                    {
                        partial class Leaf
                        {
                            #pragma warning disable CS0612, CS0618
                            /// <summary>The registration of <c>MyApp.Outer.Middle.Leaf.Task</c>, for the generated registry of session tasks.</summary>
                            [global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
                            [global::System.CodeDom.Compiler.GeneratedCodeAttribute("SessionKinds.Generators", "%VERSION%")]
                            internal static global::SessionKinds.SessionTaskRegistration SessionKindsRegistration_5Outer_6Middle_4Leaf_4Task() =>
                                global::SessionKinds.SessionTaskRegistration.For<global::MyApp.Outer.Middle.Leaf.Task>();
                            #pragma warning restore CS0612, CS0618

                            partial class Task : global::SessionKinds.ISessionTask
                            {
                                [global::System.CodeDom.Compiler.GeneratedCodeAttribute("SessionKinds.Generators", "%VERSION%")]
                                static global::SessionKinds.SessionTaskInfo global::SessionKinds.ISessionTask.SessionInfo { get; } = new(
                                    "MyApp.Outer.Middle.Leaf.Task",
                                    global::SessionKinds.SessionKind.User);

                                [global::System.CodeDom.Compiler.GeneratedCodeAttribute("SessionKinds.Generators", "%VERSION%")]
                                static global::SessionKinds.ReplyRoute global::SessionKinds.ISessionTask.Route(string reply) =>
                                    global::SessionKinds.SessionRoutes.User(reply);

                                #pragma warning disable CS0612, CS0618 // the constructor or a parameter type may be [Obsolete]
                                [global::System.CodeDom.Compiler.GeneratedCodeAttribute("SessionKinds.Generators", "%VERSION%")]
                                static global::SessionKinds.IAgentTask global::SessionKinds.ISessionTask.Create(global::System.IServiceProvider services)
                                {
                                    global::System.ArgumentNullException.ThrowIfNull(services);
                                    return new global::MyApp.Outer.Middle.Leaf.Task();
                                }
                                #pragma warning restore CS0612, CS0618
                            }
                        }
                    }
                }
            }

            """.Replace("%VERSION%", version, StringComparison.Ordinal).ReplaceLineEndings("\n"),
            output.Source("MyApp.Outer+Middle+Leaf+Task.g.cs"));
        Assert.Contains("            global::MyApp.Outer.SessionKindsRegistration_5Outer_6Middle_4Leaf_4Task(),\n", output.Source(Registry), StringComparison.Ordinal);
    }

    [Fact]
    public void Obsolete_hidden_tasks_and_containers_compile_without_warnings_and_an_obsolete_error_one_is_left_out()
    {
        var output = GeneratorHarness.Run($$"""
            namespace MyApp;

            public partial class Outer
            {
                [System.Obsolete("old")]
                [SessionKinds.UserSession]
                private partial class Old : SessionKinds.IAgentTask { {{TaskSources.Body}} }

                [System.Obsolete]
                private partial class Legacy
                {
                    [SessionKinds.UserSession]
                    private partial class Chat : SessionKinds.IAgentTask { {{TaskSources.Body}} }
                }

                [System.Obsolete("gone", true)]
                [SessionKinds.UserSession]
                private partial class Gone : SessionKinds.IAgentTask { {{TaskSources.Body}} }
            }
            """);

        GeneratorHarness.AssertClean(output.Compilation);
        var registry = output.Source(Registry);
        Assert.Contains("SessionKindsRegistration_5Outer_3Old()", registry, StringComparison.Ordinal);
        Assert.Contains("SessionKindsRegistration_5Outer_6Legacy_4Chat()", registry, StringComparison.Ordinal);
        Assert.DoesNotContain("Gone", registry, StringComparison.Ordinal);
        Assert.DoesNotContain("SessionKindsRegistration", output.Source("MyApp.Outer+Gone.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_shape_compiles_and_the_registry_lists_and_starts_each_task()
    {
        var agent = Agent.Value;

        // Same-named tasks in different containers, and two whose names differ only by case, each get their own file.
        Assert.Contains("MyApp.Host+Chat-", string.Join(",", agent.Output.Sources.Keys), StringComparison.Ordinal);
        Assert.Contains("MyApp.Host+CHAT-", string.Join(",", agent.Output.Sources.Keys), StringComparison.Ordinal);
        Assert.Equal(
            [
                "GlobalAgent.Split|Subagent",
                "GlobalChat|User",
                "MyApp.Agent.Chat|User",
                "MyApp.Agent.Inbox|Heartbeat",
                "MyApp.Agent.Inner.Deep|Subagent",
                "MyApp.Frame.Chat|User",
                "MyApp.Holder.Helper|Subagent",
                "MyApp.Host.Brief|Cron",
                "MyApp.Host.CHAT|User",
                "MyApp.Host.Chat|User",
                "MyApp.Host.Pulse|Heartbeat",
                "MyApp.IScope.Scoped|Subagent",
                "MyApp.Outer.Middle.Leaf.Open|User",
                "MyApp.Outer.Middle.Leaf.Task|User",
                "MyApp.Settings.Chat|User",
            ],
            (string[])(await agent.CallAsync("MyApp.Scenario", "Registry"))!);

        var started = (string[])(await agent.CallAsync("MyApp.Scenario", "StartEveryTaskFromTheRegistry", _folder))!;
        Assert.Equal(15, started.Length);
        Assert.Contains("registry:MyApp.Host.Brief|Output", started);
        Assert.Contains("registry:MyApp.Host.Pulse|Alert", started);
        Assert.Contains("registry:MyApp.Outer.Middle.Leaf.Task|Conversation", started);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp11)]
    [InlineData(LanguageVersion.CSharp12)]
    public void Every_shape_compiles_from_CSharp_11_on(LanguageVersion version)
    {
        // Record structs, private members of interfaces and internal static interface members all predate C# 11.
        var parseOptions = GeneratorHarness.ParseOptions.WithLanguageVersion(version);
        var compilation = GeneratorHarness.CreateCompilation(Sources);
        compilation = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees.Select(tree => tree.WithRootAndOptions(tree.GetRoot(), parseOptions)));

        var output = GeneratorHarness.Run(compilation);

        Assert.Equal(16, output.Sources.Count);
        GeneratorHarness.AssertClean(output.Compilation);
    }

    [Fact]
    public void Only_the_registry_accessors_are_hidden_from_IntelliSense()
    {
        var sources = Agent.Value.Output.Sources;
        var accessors = sources.Values.Sum(source => CountOf(source, "internal static global::SessionKinds.SessionTaskRegistration SessionKindsRegistration_"));
        var hidden = sources.Values.Sum(source => CountOf(source, "EditorBrowsableState.Never"));

        Assert.True(accessors >= 12, $"{accessors} accessors");
        Assert.Equal(accessors, hidden);
        Assert.DoesNotContain("EditorBrowsable", sources[Registry], StringComparison.Ordinal);

        static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
    }
}
