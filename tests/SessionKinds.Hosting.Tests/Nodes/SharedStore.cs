using System.Text.Json;
using Npgsql;
using SessionKinds.Hosting.Tests.Infrastructure;
using SessionKinds.Tests.Postgres;

namespace SessionKinds.Hosting.Tests.Nodes;

/// <summary>
/// The store the node processes of <see cref="MultiProcessTests"/> share (agent <c>multi</c>), an agent folder or a
/// PostgreSQL schema: how a node is told to use
/// it (<see cref="NodeProcess"/>'s arguments), and what the test reads back — the done claims, read behind the store's
/// back (its file, its rows), and the cron run record, read through a store.
/// </summary>
internal sealed class SharedStore
{
    private const string AgentId = "multi";

    private readonly Func<Task<List<DoneClaim>>> _readDoneClaims;
    private readonly Func<Task<SessionStore>> _open;

    private SharedStore(IReadOnlyList<string> nodeArguments, Func<Task<List<DoneClaim>>> readDoneClaims, Func<Task<SessionStore>> open)
    {
        NodeArguments = nodeArguments;
        _readDoneClaims = readDoneClaims;
        _open = open;
    }

    /// <summary>What <see cref="NodeProcess"/> takes to open this store.</summary>
    public IReadOnlyList<string> NodeArguments { get; }

    /// <summary>A new, empty store of <paramref name="engine"/> (<c>file</c> or <c>postgres</c>, which skips where no server can be had).</summary>
    public static SharedStore Create(string engine, TempFolder folder) => engine switch
    {
        "file" => File(folder.Sub("agent")),
        "postgres" => Postgres(PostgresServerOrSkip.Get().ConnectionString(), PostgresServer.NewSchema()),
        _ => throw new ArgumentException($"No store engine \"{engine}\".", nameof(engine)),
    };

    public Task<List<DoneClaim>> ReadDoneClaimsAsync() => _readDoneClaims();

    public async Task<IReadOnlyList<CronRun>> ReadCronRunsAsync()
    {
        await using var store = await _open();
        return (await store.ReadCronRunsAsync()).Runs;
    }

    private static SharedStore File(string folder) => new(
        ["--engine", "file", "--store", folder],
        () =>
        {
            using var claims = JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(folder, "schedule-claims.json")));
            return Task.FromResult(claims.RootElement.GetProperty("claims").EnumerateArray()
                .Where(c => c.GetProperty("done").GetBoolean())
                .Select(c => new DoneClaim(c.GetProperty("task").GetString()!, DateTimeOffset.FromUnixTimeMilliseconds(c.GetProperty("at").GetInt64()), c.GetProperty("attempt").GetInt32()))
                .ToList());
        },
        () => Task.FromResult<SessionStore>(new FileSessionStore(folder)));

    private static SharedStore Postgres(string connectionString, string schema) => new(
        ["--engine", "postgres", "--store", connectionString, "--schema", schema],
        async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT task, scheduled_at, attempt FROM \"{schema}\".occurrence_claims WHERE agent_id = $1 AND done", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = AgentId });
            var claims = new List<DoneClaim>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                claims.Add(new DoneClaim(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2)));
            }

            return claims;
        },
        async () => await PostgresSessionStore.OpenAsync(new PostgresSessionStoreOptions { ConnectionString = connectionString, Schema = schema, AgentId = AgentId }));
}

/// <summary>An occurrence marked done in the store, and the attempt of the claim that completed it.</summary>
internal sealed record DoneClaim(string Task, DateTimeOffset At, int Attempt);
