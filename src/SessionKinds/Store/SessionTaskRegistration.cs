namespace SessionKinds;

/// <summary>
/// A task known at compile time, as listed by a generated registry: its description, its type, and how to start a
/// session of it without reflection.
/// </summary>
/// <param name="Info">The task's kind and settings.</param>
/// <param name="TaskType">The task class.</param>
/// <param name="StartSession">Starts a session of the task: (store, session key, prompt) → handle.</param>
public sealed record SessionTaskRegistration(SessionTaskInfo Info, Type TaskType, Func<AgentStore, string, string?, SessionHandle> StartSession)
{
    /// <summary>The registration of <typeparamref name="TTask"/>; generated registries call this once per task.</summary>
    public static SessionTaskRegistration For<TTask>()
        where TTask : ISessionTask =>
        new(TTask.SessionInfo, typeof(TTask), static (store, key, prompt) => store.StartSession<TTask>(key, prompt));
}
