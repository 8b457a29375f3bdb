using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.Generation;

/// <summary>
/// Everything the generator writes compiles with nullable enabled, documentation checked, every warning
/// level on and warnings as errors, from C# 11 (the first with static abstract interface members) on.
/// </summary>
public sealed class GeneratedCodeCompilationTests
{
    /// <summary>Every shape the generator handles, in one compilation.</summary>
    public static readonly string[] KitchenSink =
    [
        $$"""
        using SessionKinds;
        using Beat = SessionKinds.HeartbeatSessionAttribute;

        namespace MyApp.Agents
        {
            /// <summary>Ring sizes.</summary>
            public static class Limits
            {
                /// <summary>The inbox ring.</summary>
                public const int Ring = 4 * 5;
            }

            [Beat(RingFile = "inbox-ring.json", RingSize = Limits.Ring)]
            public partial class InboxCheck : IAgentTask
            {
                {{TaskSources.Body}}
            }

            [HeartbeatSessionAttribute(AckMaxChars = 0, RingFile = "strict-ring.json")]
            public sealed partial class StrictInboxCheck : InboxCheck
            {
            }

            [global::SessionKinds.CronSession("0 7 * * 1-5")]
            public partial record MorningBrief : IAgentTask
            {
                {{TaskSources.Body}}
            }

            public static partial class Outer
            {
                public readonly partial record struct Holder
                {
                    internal ref partial struct Scratch
                    {
                        public partial interface IScope
                        {
                            [SubagentSession]
                            public partial class @class : IAgentTask
                            {
                                {{TaskSources.Body}}
                            }
                        }
                    }
                }
            }
        }
        """,
        $$"""
        namespace MyApp.Agents;

        [SessionKinds.UserSession]
        public partial class ChatTurn : SessionKinds.IAgentTask
        {
            {{TaskSources.Body}}
        }

        [SessionKinds.UserSession]
        internal partial class CHATTURN : SessionKinds.IAgentTask
        {
            {{TaskSources.Body}}
        }
        """,
        $$"""
        namespace MyApp.Other
        {
            [SessionKinds.HeartbeatSession(RingFile = "other-ring.json")]
            internal partial class InboxCheck : SessionKinds.IAgentTask
            {
                {{TaskSources.Body}}
            }
        }

        [SessionKinds.SubagentSession]
        partial class GlobalTask : SessionKinds.IAgentTask
        {
            {{TaskSources.Body}}
        }
        """,
        """
        namespace MyApp.Agents
        {
            partial class ChatTurn
            {
                private readonly int _turns = 1;

                /// <summary>Turns so far.</summary>
                public int Turns => _turns;
            }
        }
        """,
    ];

    /// <summary>A task with a primary constructor (C# 12), as in the sample.</summary>
    public const string PrimaryConstructorTask = """
        namespace MyApp.Agents;

        [SessionKinds.HeartbeatSession(RingFile = "model-ring.json")]
        public sealed partial class WithPrimaryConstructor(string model) : SessionKinds.IAgentTask
        {
            /// <summary>The model.</summary>
            public string Model => model;

        """ + TaskSources.Body + """
        }
        """;

    public static TheoryData<LanguageVersion> LanguageVersions => new() { LanguageVersion.CSharp11, LanguageVersion.CSharp12, LanguageVersion.Latest };

    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public void Generated_code_compiles_with_warnings_as_errors(LanguageVersion version)
    {
        var parseOptions = GeneratorHarness.ParseOptions.WithLanguageVersion(version);
        string[] sources = version == LanguageVersion.CSharp11 ? KitchenSink : [.. KitchenSink, PrimaryConstructorTask];
        var compilation = GeneratorHarness.CreateCompilation(sources);
        compilation = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees.Select(tree => tree.WithRootAndOptions(tree.GetRoot(), parseOptions)));

        var output = GeneratorHarness.Run(compilation);

        Assert.Equal(sources.Length == KitchenSink.Length ? 9 : 10, output.Sources.Count);
        GeneratorHarness.AssertClean(output.Compilation);
    }
}
