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
    /// Registers the store the host runs tasks through (a singleton, created when first resolved and disposed with the
    /// container); the last <c>Use…</c> call wins. Store engines that open synchronously build on this: <c>UseFileStore</c>
    /// here, <c>UseSqlite</c> in its package.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store from the service provider (take the clock from its <see cref="TimeProvider"/>).</param>
    /// <returns>The builder.</returns>
    public static ISessionKindsBuilder UseStore(this ISessionKindsBuilder builder, Func<IServiceProvider, SessionStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        RemoveStores(builder.Services);
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>
    /// Registers a store that opens asynchronously (connects, creates or migrates its schema), such as <c>UsePostgres</c>:
    /// <paramref name="openAsync"/> is awaited once when the host starts, before any hosted service's <c>StartAsync</c>,
    /// with the host's start-up token; a store that cannot be opened fails the start with its error. From then on
    /// <see cref="SessionStore"/> resolves to the open store (a singleton, disposed with the container); resolving it before
    /// the host has started throws <see cref="InvalidOperationException"/>. The last <c>Use…</c> call wins.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="openAsync">Opens the store from the service provider (take the clock from its <see cref="TimeProvider"/>); honour the token.</param>
    /// <returns>The builder.</returns>
    public static ISessionKindsBuilder UseStore(this ISessionKindsBuilder builder, Func<IServiceProvider, CancellationToken, ValueTask<SessionStore>> openAsync)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(openAsync);
        RemoveStores(builder.Services);
        builder.Services.AddSingleton(services => new StoreOpener(services, openAsync));
        builder.Services.AddSingleton(static services => services.GetRequiredService<StoreOpener>().Store);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, StoreOpeningService>());
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
            var options = new FileSessionStoreOptions();
            ApplyHostDefaults(services, options);
            configure?.Invoke(options);
            return new FileSessionStore(folder, options);
        });
    }

    private static void RemoveStores(IServiceCollection services)
    {
        services.RemoveAll<SessionStore>();
        services.RemoveAll<StoreOpener>();
    }

    /// <summary>
    /// Sets what every store a host opens takes from the host, before the store's own configuration runs: <c>Time</c> is
    /// the host's <see cref="TimeProvider"/>, and <c>OccurrenceRetention</c> the host's catch-up window plus a lease and one
    /// day (claims older than that are never looked at again, so the claims stay small). Store engines' <c>Use…</c> methods
    /// call it; a store of your own registered with <c>UseStore</c> may too.
    /// </summary>
    /// <param name="services">The host's service provider.</param>
    /// <param name="options">The options of the store being opened.</param>
    /// <returns>The host's options, e.g. for the <see cref="SessionKindsOptions.AgentId"/> a database store is opened for.</returns>
    public static SessionKindsOptions ApplyHostDefaults(IServiceProvider services, SessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var host = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionKindsOptions>>().Value;
        options.Time = services.GetRequiredService<TimeProvider>();
        options.OccurrenceRetention = host.CatchUpWindow + host.LeaseDuration + TimeSpan.FromDays(1);
        return host;
    }
}
