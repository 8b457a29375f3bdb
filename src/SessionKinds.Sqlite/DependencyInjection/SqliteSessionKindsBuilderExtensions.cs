using SessionKinds;
using SessionKinds.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Uses a SQLite database as the store of the SessionKinds host.</summary>
public static class SqliteSessionKindsBuilderExtensions
{
    /// <summary>
    /// Uses the SQLite database file <paramref name="databasePath"/> as the store (<see cref="SqliteSessionStore"/>): one
    /// machine, many agents in one file. The store opens (creating or migrating the file) when first resolved, at the
    /// latest when the host starts, so a database that cannot be used fails the start with a message naming the file.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddSessionKinds(o => o.AgentId = "main")
    ///     .AddGeneratedTasks()
    ///     .UseSqlite("/var/lib/agents/sessions.db");
    /// </code></example>
    /// <param name="builder">The builder <c>AddSessionKinds</c> returned.</param>
    /// <param name="databasePath">The database file (created when missing, with its folder).</param>
    /// <param name="configure">
    /// Sets more store options (busy timeout, cron runs kept…). Unless set here, <c>AgentId</c> is the host's
    /// <see cref="SessionKindsOptions.AgentId"/>, <c>Time</c> the host's <see cref="TimeProvider"/>, and
    /// <c>OccurrenceRetention</c> the host's catch-up window plus a lease and one day. To open through a connection string
    /// instead, set <c>DatabasePath</c> to <see langword="null"/> and <c>ConnectionString</c> here.
    /// </param>
    /// <returns>The builder.</returns>
    public static ISessionKindsBuilder UseSqlite(this ISessionKindsBuilder builder, string databasePath, Action<SqliteSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.UseStore(services =>
        {
            var options = new SqliteSessionStoreOptions { DatabasePath = databasePath };
            options.AgentId = SessionKindsBuilderExtensions.ApplyHostDefaults(services, options).AgentId;
            configure?.Invoke(options);
            return new SqliteSessionStore(options);
        });
    }
}
