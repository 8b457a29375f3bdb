using Npgsql;
using SessionKinds.Tests.Postgres;

namespace SessionKinds.Hosting.Tests.Infrastructure;

/// <summary>What the hosting tests do on the throwaway PostgreSQL server (<see cref="PostgresServerOrSkip"/>): fresh schemas, SQL as an independent reader.</summary>
internal static class PostgresServer
{
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
