namespace SessionKinds.IntegrationTests.Consumers;

/// <summary>The source files of the consumer projects the end-to-end tests build.</summary>
internal static class ConsumerSources
{
    /// <summary>An agent with one task of each kind that persists one session of every route into the folder named by its first argument.</summary>
    public const string CorrectAgent = """
        using SessionKinds;

        var folder = args[0];
        await using var store = new FileSessionStore(folder);

        await store.RunAsync(new InboxCheck("**HEARTBEAT_OK**"), "agent:main:heartbeat:0700");
        await store.RunAsync(new InboxCheck("The landlord moved the boiler visit to Friday 09:00 and asks you to confirm by tonight."), "agent:main:heartbeat:0730");
        await store.RunAsync(new MorningBrief("NO_REPLY"), "cron:morning-brief:0700");
        await store.RunAsync(new ChatTurn("Your train leaves at 07:34 from platform 4."), "agent:main:main", "When does my train leave?");
        await store.RunAsync(new Research("Cheapest refundable option: 39 EUR."), "agent:main:subagent:1", "Find the cheapest train to Lyon.");

        foreach (var task in SessionKinds.Generated.SessionTasks.All)
        {
            Console.WriteLine($"task {task.Info.Name} {task.Info.Kind.ToString().ToLowerInvariant()}");
        }

        [HeartbeatSession(RingSize = 5)]
        public sealed partial class InboxCheck(string reply) : IAgentTask
        {
            public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult<TaskReply>(reply);
        }

        [CronSession("0 7 * * *")]
        public sealed partial class MorningBrief(string reply) : IAgentTask
        {
            public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult<TaskReply>(reply);
        }

        [UserSession]
        public sealed partial class ChatTurn(string reply) : IAgentTask
        {
            public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult<TaskReply>(reply);
        }

        [SubagentSession]
        public sealed partial class Research(string reply) : IAgentTask
        {
            public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult<TaskReply>(reply);
        }
        """;

    /// <summary>A task without a kind: the class identifier <c>Orphan</c> is on line 3, column 21.</summary>
    public const string KindlessTask = """
        using SessionKinds;

        public sealed class Orphan : IAgentTask
        {
            public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => ValueTask.FromResult<TaskReply>("done");
        }

        public static class Program
        {
            public static void Main() => Console.WriteLine(typeof(Orphan).Name);
        }
        """;

    /// <summary>A kind attribute on a class that is not a task: SKND0007 (a warning) on <c>Helper</c>.</summary>
    public const string AttributeOnNonTask = """
        using SessionKinds;

        [UserSession]
        public sealed class Helper
        {
        }

        public static class Program
        {
            public static void Main() => Console.WriteLine(typeof(Helper).Name);
        }
        """;
}
