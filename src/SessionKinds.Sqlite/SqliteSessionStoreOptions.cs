using Microsoft.Data.Sqlite;

namespace SessionKinds;

/// <summary>Settings of a <see cref="SqliteSessionStore"/>: which database file, which agent in it, how long to wait for other writers.</summary>
public sealed class SqliteSessionStoreOptions : SessionStoreOptions
{
    /// <summary>The default <see cref="AgentId"/>.</summary>
    public const string DefaultAgentId = "main";

    /// <summary>The longest <see cref="AgentId"/> accepted, in UTF-16 characters.</summary>
    public const int MaxAgentIdLength = 256;

    /// <summary>
    /// The database file, e.g. <c>/var/lib/agents/sessions.db</c> (created, owner-only on Unix, with its folder when
    /// missing); relative paths are resolved against the current directory. Set this or <see cref="ConnectionString"/>.
    /// </summary>
    public string? DatabasePath { get; set; }

    /// <summary>
    /// A Microsoft.Data.Sqlite connection string instead of <see cref="DatabasePath"/>, for settings such as a
    /// <c>Password</c> with an encrypting SQLite build. Its <c>Data Source</c> must be a file (WAL needs one: no
    /// <c>:memory:</c>, no <c>Mode=Memory</c>, no <c>Mode=ReadOnly</c>); the store turns its own pooling off and sets the
    /// timeouts from <see cref="BusyTimeout"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The agent whose sessions this store reads and writes (default <c>main</c>). One database holds many agents; every row
    /// carries its agent id, and stores of different agents never see each other's rows. Not empty, at most 256 characters,
    /// no control characters.
    /// </summary>
    public string AgentId { get; set; } = DefaultAgentId;

    /// <summary>
    /// How long a write waits for other writers of the database file (another process, another store on the same file)
    /// before it fails with a <see cref="SessionStoreException"/> (default 30 seconds, at least 1 millisecond). Waiting is
    /// asynchronous and cancellable; the same limit is SQLite's busy timeout for reads.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A copy of these settings (the store keeps its own, so later changes to this instance do not affect it).</summary>
    internal SqliteSessionStoreOptions Snapshot() => (SqliteSessionStoreOptions)MemberwiseClone();

    /// <inheritdoc />
    protected override void Validate()
    {
        base.Validate();
        if ((DatabasePath is null) == (ConnectionString is null))
        {
            throw new ArgumentException(
                $"{nameof(SqliteSessionStoreOptions)}: set either {nameof(DatabasePath)} (a database file) or {nameof(ConnectionString)}, not {(DatabasePath is null ? "neither" : "both")}.",
                "options");
        }

        if (DatabasePath is not null && string.IsNullOrWhiteSpace(DatabasePath))
        {
            throw new ArgumentException($"{nameof(SqliteSessionStoreOptions)}.{nameof(DatabasePath)} is empty; give the database file's path.", "options");
        }

        if (ConnectionString is not null)
        {
            try
            {
                _ = new SqliteConnectionStringBuilder(ConnectionString);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"{nameof(SqliteSessionStoreOptions)}.{nameof(ConnectionString)} is not a valid SQLite connection string: {ex.Message}", "options", ex);
            }
        }

        if (FindAgentIdProblem(AgentId) is { } problem)
        {
            throw new ArgumentException($"{nameof(SqliteSessionStoreOptions)}.{nameof(AgentId)} is not valid: {problem}. Use e.g. \"{DefaultAgentId}\".", "options");
        }

        if (BusyTimeout < TimeSpan.FromMilliseconds(1) || BusyTimeout > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException("options", BusyTimeout, $"{nameof(SqliteSessionStoreOptions)}.{nameof(BusyTimeout)} must be between 1 millisecond and 1 day.");
        }
    }

    internal static string? FindAgentIdProblem(string? agentId)
    {
        if (agentId is null || string.IsNullOrWhiteSpace(agentId))
        {
            return "it is empty";
        }

        if (agentId.Length > MaxAgentIdLength)
        {
            return $"it has {agentId.Length} characters, more than {MaxAgentIdLength}";
        }

        for (var i = 0; i < agentId.Length;)
        {
            if (System.Text.Rune.DecodeFromUtf16(agentId.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                return "it contains an unpaired surrogate";
            }

            if (System.Text.Rune.IsControl(rune))
            {
                return "it contains a control character";
            }

            i += used;
        }

        return null;
    }
}
