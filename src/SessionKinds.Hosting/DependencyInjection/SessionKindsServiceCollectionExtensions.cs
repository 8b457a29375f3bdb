using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SessionKinds.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds SessionKinds to a service collection.</summary>
public static class SessionKindsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the SessionKinds host: a hosted service that runs every heartbeat and cron task added to the returned builder
    /// on its schedule, once per occurrence across the hosts that share the store. Options are bound from the configuration
    /// section <c>SessionKinds</c> when the host has configuration, then set by <paramref name="configure"/>, and validated
    /// when the host starts. Defaults are registered with <c>TryAdd</c>: <see cref="TimeProvider.System"/>, metrics.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddSessionKinds(o => o.AgentId = "main")
    ///     .AddGeneratedTasks()
    ///     .UseFileStore("/var/lib/agents/main");
    /// </code></example>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options after configuration binding.</param>
    /// <returns>The builder: add tasks and a store to it.</returns>
    public static ISessionKindsBuilder AddSessionKinds(this IServiceCollection services, Action<SessionKindsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        // Bound from the host's configuration when there is one (the source-generated binder: no reflection).
        var options = services.AddOptions<SessionKindsOptions>()
            .Configure<IServiceProvider>(static (options, provider) => provider.GetService<IConfiguration>()?.GetSection(SessionKindsOptions.SectionName).Bind(options));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionKindsOptions>, SessionKindsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SessionKindsMetrics>();
        services.TryAddSingleton<SchedulerState>();
        services.TryAddSingleton(static provider => new SessionKindsStatus(provider.GetRequiredService<SchedulerState>()));
        services.AddOptions<TaskCatalog>();
        services.AddHostedService<SessionKindsScheduler>();
        return new SessionKindsBuilder(services);
    }

    /// <summary>
    /// Adds a health check that reports each enabled heartbeat task whose last run (an ack or an alert recorded in the store)
    /// is older than twice its interval — and at least two of its slots have passed since — as <paramref name="failureStatus"/>.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name (default <c>sessionkinds-heartbeats</c>).</param>
    /// <param name="failureStatus">What a stale heartbeat reports (default <see cref="HealthStatus.Unhealthy"/>).</param>
    /// <param name="tags">Tags of the check.</param>
    /// <returns>The health checks builder.</returns>
    public static IHealthChecksBuilder AddSessionKindsHeartbeats(this IHealthChecksBuilder builder, string name = HeartbeatHealthCheck.DefaultName, HealthStatus failureStatus = HealthStatus.Unhealthy, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, static services => new HeartbeatHealthCheck(services), failureStatus, tags));
    }
}
