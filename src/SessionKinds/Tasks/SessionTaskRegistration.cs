using System.ComponentModel;

namespace SessionKinds;

/// <summary>
/// A task known at compile time, as listed by the generated registry <c>SessionKinds.Generated.SessionTasks.All</c>: its
/// description, its type, and how to start a session of it, create it from services and run or skip one of its scheduled
/// occurrences — all without reflection, so a host can run a task of a type it does not know statically (also under
/// Native AOT).
/// </summary>
/// <param name="Info">The task's kind and settings.</param>
/// <param name="TaskType">The task class.</param>
/// <param name="StartSession">Starts a session of the task: (store, session key, prompt) → handle.</param>
public sealed record SessionTaskRegistration(SessionTaskInfo Info, Type TaskType, Func<SessionStore, string, string?, SessionHandle> StartSession)
{
    private Func<IServiceProvider, IAgentTask>? _create;
    private Func<SessionStore, IAgentTask, OccurrenceClaim, string, string?, CancellationToken, ValueTask<SessionOutcome>>? _runOccurrence;
    private Func<SessionStore, DateTimeOffset, string, CancellationToken, ValueTask>? _skipOccurrence;

    /// <summary>The registration of <typeparamref name="TTask"/>; generated code calls this once per task.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static SessionTaskRegistration For<TTask>()
        where TTask : IAgentTask, ISessionTask =>
        new(TTask.SessionInfo, typeof(TTask), static (store, key, prompt) => store.StartSession<TTask>(key, prompt))
        {
            _create = static services => TTask.Create(services),
            _runOccurrence = static (store, task, claim, key, prompt, ct) => task is TTask typed ? store.RunOccurrenceAsync(typed, claim, key, prompt, ct) : throw WrongTask(task),
            _skipOccurrence = static (store, scheduledAt, reason, ct) => store.SkipOccurrenceAsync<TTask>(scheduledAt, reason, ct),
        };

    /// <summary>
    /// Creates the task through its generated factory, its constructor's parameters taken from <paramref name="services"/>
    /// (see <see cref="ISessionTask.Create"/> for the rules). The caller owns the task: dispose it when it is disposable.
    /// </summary>
    /// <exception cref="InvalidOperationException">A service is missing; the message names the task, the parameter and its type.</exception>
    /// <exception cref="NotSupportedException">This registration was not made by <see cref="For{TTask}"/>.</exception>
    public IAgentTask CreateTask(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return (_create ?? throw NotFromFor()).Invoke(services);
    }

    /// <summary>Runs an occurrence the caller claimed, as <see cref="SessionStore.RunOccurrenceAsync{TTask}"/> does, with a task made by <see cref="CreateTask"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="task"/> is not of <see cref="TaskType"/>, or the claim is of another task.</exception>
    /// <exception cref="NotSupportedException">This registration was not made by <see cref="For{TTask}"/>.</exception>
    public ValueTask<SessionOutcome> RunOccurrenceAsync(SessionStore store, IAgentTask task, OccurrenceClaim claim, string sessionKey, string? prompt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(task);
        return (_runOccurrence ?? throw NotFromFor()).Invoke(store, task, claim, sessionKey, prompt, cancellationToken);
    }

    /// <summary>Marks an occurrence done without running it, as <see cref="SessionStore.SkipOccurrenceAsync{TTask}"/> does (a cron task records a skipped run).</summary>
    /// <exception cref="NotSupportedException">This registration was not made by <see cref="For{TTask}"/>.</exception>
    public ValueTask SkipOccurrenceAsync(SessionStore store, DateTimeOffset scheduledAt, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return (_skipOccurrence ?? throw NotFromFor()).Invoke(store, scheduledAt, reason, cancellationToken);
    }

    private NotSupportedException NotFromFor() =>
        new($"The registration of {Info.Name} was created by hand; create, run and skip need the registration made by SessionTaskRegistration.For<TTask>() (the generated registry uses it).");

    private static ArgumentException WrongTask(IAgentTask task) =>
        new($"The task is a {task.GetType().FullName}, not the registration's task type; create it with this registration's CreateTask.", nameof(task));
}
