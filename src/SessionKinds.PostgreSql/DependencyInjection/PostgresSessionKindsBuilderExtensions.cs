using SessionKinds;
using SessionKinds.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Uses a PostgreSQL database as the store of the SessionKinds host.</summary>
public static class PostgresSessionKindsBuilderExtensions
{
    /// <summary>
    /// Uses a PostgreSQL database as the store (<see cref="PostgresSessionStore"/>): several nodes sharing it run each
    /// occurrence of a scheduled task once among them. The store opens asynchronously when the host starts (it connects
    /// and creates or migrates its schema, <see cref="PostgresSessionStore.OpenAsync"/>), before any hosted service's
    /// <c>StartAsync</c>; a server that cannot be reached or used fails the start with a message naming the server and what
    /// to check. <see cref="SessionStore"/> resolves once the host has started.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddSessionKinds(o => o.AgentId = "main")
    ///     .AddGeneratedTasks()
    ///     .UsePostgres(builder.Configuration.GetConnectionString("sessions")!, o => o.Schema = "gateway");
    /// </code></example>
    /// <param name="builder">The builder <c>AddSessionKinds</c> returned.</param>
    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=db1;Database=gateway;Username=gateway;Password=…</c>.</param>
    /// <param name="configure">
    /// Sets more store options (schema, lock timeout…). Unless set here, <c>AgentId</c> is the host's
    /// <see cref="SessionKindsOptions.AgentId"/>, <c>Schema</c> is <c>sessionkinds</c>, <c>Time</c> the host's
    /// <see cref="TimeProvider"/>, and <c>OccurrenceRetention</c> the host's catch-up window plus a lease and one day.
    /// </param>
    /// <returns>The builder.</returns>
    public static ISessionKindsBuilder UsePostgres(this ISessionKindsBuilder builder, string connectionString, Action<PostgresSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseStore(async (services, cancellationToken) =>
        {
            var options = new PostgresSessionStoreOptions { ConnectionString = connectionString };
            options.AgentId = SessionKindsBuilderExtensions.ApplyHostDefaults(services, options).AgentId;
            configure?.Invoke(options);
            return await PostgresSessionStore.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        });
    }
}
