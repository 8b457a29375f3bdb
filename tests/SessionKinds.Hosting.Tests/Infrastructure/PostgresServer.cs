using Npgsql;
using SessionKinds.Tests.Postgres;

namespace SessionKinds.Hosting.Tests.Infrastructure;

/// <summary>The test process's throwaway PostgreSQL server (tests/Shared/Postgres), or a skip that says why there is none (never in CI or as root: there it fails).</summary>
internal static class PostgresServer
{
    public static PostgresTestServer Get()
    {
        Skip.If(PostgresTestServer.Unavailable is not null, PostgresTestServer.Unavailable);
        try
        {
            return PostgresTestServer.Shared;
        }
        catch (PostgresUnavailableException ex) when (ex.MaySkip)
        {
            throw new SkipException($"PostgreSQL tests skipped: the test server could not start here ({ex.Message}). CI and root runs fail instead.");
        }
    }

    /// <summary>A fresh schema name for one test.</summary>
    public static string NewSchema() => "sk_hosting_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>One value from SQL on the server.</summary>
    public static async Task<T> ScalarAsync<T>(this PostgresTestServer server, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
