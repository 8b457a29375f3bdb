using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionKinds;
using SessionKinds.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds tasks and a store to the SessionKinds host.</summary>
public static class SessionKindsBuilderExtensions
{
    /// <summary>
    /// Adds tasks to run: usually the generated registry through <c>AddGeneratedTasks()</c>, which the SessionKinds
    /// generator writes into each assembly that references this package. Heartbeat and cron tasks run on their schedules;
    /// other kinds are ignored. A task added twice runs once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="tasks">Registrations made by <c>SessionTaskRegistration.For&lt;TTask&gt;()</c> (as the registry lists them).</param>
    /// <returns>The builder.</returns>
    public static ISessionKindsBuilder AddTasks(this ISessionKindsBuilder builder, IEnumerable<SessionTaskRegistration> tasks)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tasks);
        var list = tasks.ToList();
        builder.Services.Configure<TaskCatalog>(catalog => catalog.Add(list));
        return builder;
    }

    /// <summary>
    /// Registers the store the host runs tasks through (a singleton, disposed with the container); the last call wins. Store
    /// engines build on this: <c>UseFileStore</c> here, <c>UseSqlite</c> and <c>UsePostgres</c> in their packages.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store from the service provider (take the clock from its <see cref="TimeProvider"/>).</param>
    /// <returns>The builder.</returns>
    public static ISessionKindsBuilder UseStore(this ISessionKindsBuilder builder, Func<IServiceProvider, SessionStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<SessionStore>();
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>
    /// Uses the agent folder <paramref name="folder"/> as the store (<see cref="FileSessionStore"/>), on the host's
    /// <see cref="TimeProvider"/>. Processes on one machine that use the same folder share it: each occurrence runs once
    /// among them.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="folder">The agent folder (created when missing).</param>
    /// <param name="configure">
    /// Sets more store options (rotation, lock timeout…). Unless set here, <c>Time</c> is the host's clock and
    /// <c>OccurrenceRetention</c> is the host's catch-up window plus one day (and a lease): claims older than that are
    /// never looked at again, so <c>schedule-claims.json</c> stays small.
    /// </param>
    /// <returns>The builder.</returns>
    public static ISessionKindsBuilder UseFileStore(this ISessionKindsBuilder builder, string folder, Action<FileSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return builder.UseStore(services =>
        {
            var host = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionKindsOptions>>().Value;
            var options = new FileSessionStoreOptions
            {
                Time = services.GetRequiredService<TimeProvider>(),
                OccurrenceRetention = host.CatchUpWindow + host.LeaseDuration + TimeSpan.FromDays(1),
            };
            configure?.Invoke(options);
            return new FileSessionStore(folder, options);
        });
    }
}
