using Npgsql;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using SessionKinds.Tests.Postgres;

namespace SessionKinds.Tests.PostgresEngine;

/// <summary>
/// What the PostgreSQL engine tests share: the test process's throwaway server (or a skip that says why there is none,
/// outside CI and root only), fresh agents on it, and SQL against it as an independent reader.
/// </summary>
internal static class PostgresTestSupport
{
    /// <summary>A store on a fresh agent of the postgres engine (its own schema), with a fake clock.</summary>
    public static StoreUnderTest Create(Func<StoreSettings, StoreSettings>? configure = null)
    {
        PostgresServerOrSkip.Get();
        return StoreUnderTest.Create("postgres", configure);
    }

    /// <summary>The agent of <paramref name="s"/>.</summary>
    public static PostgresStoreAgent Agent(this StoreUnderTest s) => (PostgresStoreAgent)s.Agent;

    /// <summary>One value from SQL on the agent's server.</summary>
    public static async Task<T> ScalarAsync<T>(this PostgresStoreAgent agent, string sql, params object[] parameters)
    {
        await using var connection = await agent.ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs SQL on the agent's server.</summary>
    public static async Task ExecuteAsync(this PostgresStoreAgent agent, string sql, params object[] parameters)
    {
        await using var connection = await agent.ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Ends the server process serving <paramref name="backendPid"/>, as a dropped connection or a DBA would.</summary>
    public static Task TerminateAsync(this PostgresStoreAgent agent, int backendPid) =>
        agent.ScalarAsync<bool>("SELECT pg_terminate_backend($1)", backendPid);
}
