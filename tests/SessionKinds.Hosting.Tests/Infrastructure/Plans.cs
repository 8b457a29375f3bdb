using SessionKinds.Generated;

namespace SessionKinds.Hosting.Tests.Infrastructure;

/// <summary>The plan of a test task, for computing the instants a test expects.</summary>
internal static class Plans
{
    public static SessionTaskRegistration Registration<TTask>() => SessionTasks.All.Single(t => t.TaskType == typeof(TTask));

    public static TaskPlan Of<TTask>(string agentId = SessionKindsOptions.DefaultAgentId) =>
        TaskPlan.Create(Registration<TTask>(), agentId, TaskPlan.SlugOf(typeof(TTask).FullName!, qualified: false))!;

    /// <summary>The first <paramref name="count"/> occurrences after <paramref name="after"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Next<TTask>(DateTimeOffset after, int count, string agentId = SessionKindsOptions.DefaultAgentId)
    {
        var plan = Of<TTask>(agentId);
        var list = new List<DateTimeOffset>();
        for (var at = plan.NextAfter(after); at is { } value && list.Count < count; at = plan.NextAfter(value))
        {
            list.Add(value);
        }

        return list;
    }
}
