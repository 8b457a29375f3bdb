using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>
/// TEMPORARY: the runtime members the generated code calls that are still being built on branch
/// <c>runtime</c> (names fixed by the issue). Compiled into test compilations until that branch is merged;
/// then this file is deleted and the tests compile against the real runtime.
/// </summary>
internal static class PendingRuntimeApi
{
    /// <summary>Adds the pending members to a compilation (as a test source, so its missing XML docs are not reported).</summary>
    public static Compilation AddTo(Compilation compilation) =>
        compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Source, GeneratorHarness.ParseOptions, path: "SourcePendingRuntimeApi.cs"));

    public const string Source = """
        namespace SessionKinds
        {
            public static class SessionRoutes
            {
                public static ReplyRoute User(string reply) => default;
                public static ReplyRoute Subagent(string reply) => default;
                public static ReplyRoute Heartbeat(string reply, int ackMaxChars) => default;
                public static ReplyRoute Cron(string reply) => default;
            }

            public sealed class AgentStore
            {
                public HeartbeatRingWriter<TTask> HeartbeatRing<TTask>() where TTask : IHeartbeatSessionTask => new();
            }

            public sealed class HeartbeatRingWriter<TTask> where TTask : IHeartbeatSessionTask
            {
            }

            public sealed record SessionTaskRegistration(SessionTaskInfo Info, global::System.Type TaskType)
            {
                public static SessionTaskRegistration For<TTask>() where TTask : ISessionTask => new(TTask.SessionInfo, typeof(TTask));
            }
        }
        """;
}
