using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework;

/// <summary>The request of a run that the task does not build itself: the run's prompt, or the task's default prompt.</summary>
internal static class TaskRequest
{
    public static List<ChatMessage> FromPrompt(TaskContext context, string? defaultPrompt, Type task)
    {
        var prompt = context.Prompt ?? defaultPrompt
            ?? throw new InvalidOperationException(
                $"{task.FullName} ran without a prompt: pass one to the store's RunAsync, or override DefaultPrompt (e.g. a heartbeat's " +
                "fixed question) or CreateRequest.");
        return [new ChatMessage(ChatRole.User, prompt)];
    }

    public static IList<ChatMessage> Checked(IList<ChatMessage>? request, Type task) =>
        request is { Count: > 0 }
            ? request
            : throw new InvalidOperationException($"{task.FullName}.CreateRequest returned no message; return at least the prompt.");
}
