namespace SessionKinds;

/// <summary>
/// A task whose session kind is known at compile time. The SessionKinds generator implements this interface on every
/// <c>partial</c> task class that carries a session kind attribute; do not implement it by hand. A store starts sessions
/// of such a task through <see cref="SessionStore.StartSession{TTask}"/> without reflection, and a task without a kind
/// cannot be passed there.
/// </summary>
public interface ISessionTask
{
    /// <summary>The task's kind and settings, as written in its attribute.</summary>
    static abstract SessionTaskInfo SessionInfo { get; }

    /// <summary>Decides what a reply of this task persists and where (see <see cref="SessionRoutes"/>).</summary>
    static abstract ReplyRoute Route(string reply);

    /// <summary>
    /// Creates the task with its constructor's parameters taken from <paramref name="services"/>; the generator writes this
    /// factory for every task it completes, without reflection. The constructor is the public one marked
    /// <c>[ActivatorUtilitiesConstructor]</c>, else the public one with the most parameters; each parameter is resolved
    /// with <see cref="IServiceProvider.GetService"/> (with its key, for <c>[FromKeyedServices]</c>), and a parameter
    /// whose service is missing gets its default value when it has one.
    /// </summary>
    /// <exception cref="InvalidOperationException">A service is missing for a parameter without a default value (the message names the task, the parameter and its type), or the task has no constructor the factory can call (SKND0016).</exception>
    /// <exception cref="NotSupportedException">The type implements this interface by hand, so it has no generated factory.</exception>
    static virtual IAgentTask Create(IServiceProvider services) =>
        throw new NotSupportedException("This task type has no generated factory: it implements ISessionTask by hand. Let the SessionKinds generator complete it (a partial class with a session kind attribute), or create it yourself.");
}

/// <summary>A heartbeat task; its ring writer is <see cref="HeartbeatRingWriter{TTask}"/>.</summary>
public interface IHeartbeatSessionTask : ISessionTask
{
    /// <summary>The task's heartbeat settings (ring, ring size, ack limit).</summary>
    static abstract HeartbeatSettings Heartbeat { get; }
}

/// <summary>A scheduled task.</summary>
public interface ICronSessionTask : ISessionTask
{
    /// <summary>The task's schedule, parsed once.</summary>
    static abstract CronSchedule Schedule { get; }
}
