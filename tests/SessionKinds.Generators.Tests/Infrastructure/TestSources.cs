namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>Source snippets shared by the analyzer and code fix tests.</summary>
internal static class TestSources
{
    /// <summary>The member every <c>IAgentTask</c> implements, to paste into task classes.</summary>
    public const string Run = "public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => default;";

    /// <summary>
    /// Global usings for the BCL and a stand-in for the store: SessionKinds APIs that take a kind or a
    /// session task type. The analyzers key on the namespace and the <c>ISessionTask</c> constraint,
    /// not on these names.
    /// </summary>
    public const string Prelude = """
        global using System.Threading;
        global using System.Threading.Tasks;

        namespace SessionKinds.Testing
        {
            public sealed class StoreStub
            {
                public void StartSession<TTask>(string key, string? prompt = null) where TTask : ISessionTask { }
                public void StartSession(SessionKind kind, string key, string? prompt = null) { }
                public void RunAsync<TTask>(TTask task, CancellationToken cancellationToken = default) where TTask : IAgentTask, ISessionTask { }
                public void HeartbeatRing<TTask>() where TTask : IHeartbeatSessionTask { }
                public static void Register(SessionKind kind, params string[] keys) { }
                public static void Optional(SessionKind kind = SessionKind.Unspecified) { }
                public static void Nullable(SessionKind? kind) { }
            }

            public sealed class RingStub<TTask> where TTask : IHeartbeatSessionTask { }

            public static class RegistrationStub
            {
                public static void For<TTask>() where TTask : ISessionTask { }
            }
        }
        """;

    /// <summary>The file name the prelude is added under.</summary>
    public const string PreludeFileName = "/0/Prelude.cs";
}
