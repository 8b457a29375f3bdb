namespace SessionKinds.Hosting;

/// <summary>The tasks added with <c>AddTasks</c> / <c>AddGeneratedTasks()</c>, each once (by task type), in the order added.</summary>
internal sealed class TaskCatalog
{
    private readonly List<SessionTaskRegistration> _tasks = [];

    public IReadOnlyList<SessionTaskRegistration> Tasks => _tasks;

    public void Add(IEnumerable<SessionTaskRegistration> tasks)
    {
        foreach (var task in tasks)
        {
            ArgumentNullException.ThrowIfNull(task);
            if (!_tasks.Exists(t => t.TaskType == task.TaskType))
            {
                _tasks.Add(task);
            }
        }
    }
}
