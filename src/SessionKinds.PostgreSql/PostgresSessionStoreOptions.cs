using Npgsql;
using SessionKinds.PostgreSql;

namespace SessionKinds;

/// <summary>Settings of a <see cref="PostgresSessionStore"/>: which server, which schema, which agent.</summary>
public sealed class PostgresSessionStoreOptions : SessionStoreOptions
{
    /// <summary>The default <see cref="Schema"/>.</summary>
    public const string DefaultSchema = "sessionkinds";

    /// <summary>The longest <see cref="AgentId"/> accepted, in characters.</summary>
    public const int MaxAgentIdLength = 200;

    /// <summary>
    /// The Npgsql connection string, e.g. <c>Host=db1;Port=5432;Database=gateway;Username=gateway;Password=…</c>. Required.
    /// Errors name the server as host:port/database and never show the password.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The schema holding the store's tables (default <c>sessionkinds</c>): created with them at open when missing. Any
    /// PostgreSQL identifier of at most 63 bytes; it is always quoted, so case and punctuation are kept as given.
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// The agent whose sessions this store reads and writes; one database holds many agents, each row carries its id.
    /// Required: not empty, at most 200 characters, no control characters.
    /// </summary>
    public string? AgentId { get; set; }

    /// <summary>
    /// How long a write waits for other writers (a node completing the same session, the same ring or cron task) before it
    /// fails with a <see cref="SessionStoreException"/> that says what it waited for (default 30 s; PostgreSQL's
    /// <c>lock_timeout</c> for the store's connections). A lock held by a node whose connection dropped is released by the
    /// server as soon as it notices, so this only bounds waiting for live writers.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException($"{nameof(PostgresSessionStoreOptions)}.{nameof(ConnectionString)} is not set: pass an Npgsql connection string such as \"Host=db1;Database=gateway;Username=gateway;Password=…\".", "options");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException ex)
        {
            // The builder's message names the bad keyword, never a value: safe to show.
            throw new ArgumentException($"{nameof(PostgresSessionStoreOptions)}.{nameof(ConnectionString)} is not a valid Npgsql connection string: {ex.Message}", "options", ex);
        }

        if (PostgresNames.FindIdentifierProblem(Schema) is { } schemaProblem)
        {
            throw new ArgumentException($"{nameof(PostgresSessionStoreOptions)}.{nameof(Schema)} \"{AgentFileNameRules.Printable(Schema ?? string.Empty)}\" is not usable: {schemaProblem}.", "options");
        }

        if (PostgresNames.FindNameProblem(AgentId, MaxAgentIdLength) is { } agentProblem)
        {
            throw new ArgumentException($"{nameof(PostgresSessionStoreOptions)}.{nameof(AgentId)} \"{AgentFileNameRules.Printable(AgentId ?? string.Empty)}\" is not usable: {agentProblem}. Name the agent, e.g. \"main\".", "options");
        }

        if (LockTimeout <= TimeSpan.Zero || LockTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException("options", LockTimeout, $"{nameof(PostgresSessionStoreOptions)}.{nameof(LockTimeout)} must be more than zero and at most {int.MaxValue} ms.");
        }
    }

    /// <summary>A copy, so later changes to the caller's instance do not reach an open store.</summary>
    internal PostgresSessionStoreOptions Snapshot() => (PostgresSessionStoreOptions)MemberwiseClone();
}
