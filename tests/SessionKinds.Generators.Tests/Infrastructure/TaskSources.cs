namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>Building blocks of the C# sources the generator tests compile.</summary>
internal static class TaskSources
{
    /// <summary>The one <c>IAgentTask</c> member, fully qualified so a source needs no usings; the reply is the prompt.</summary>
    public const string Body =
        "public global::System.Threading.Tasks.ValueTask<global::SessionKinds.TaskReply> RunAsync(global::SessionKinds.TaskContext context, global::System.Threading.CancellationToken cancellationToken) => new(new global::SessionKinds.TaskReply(context.Prompt));";
}
