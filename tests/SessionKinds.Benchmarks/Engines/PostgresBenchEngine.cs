using System.Security.Cryptography;
using System.Text;
using Npgsql;
using SessionKinds.Tests.Postgres;

namespace SessionKinds.Benchmarks.Engines;

/// <summary>
/// <see cref="PostgresSessionStore"/> on a throwaway, durable server of the benchmark process (fsync and synchronous commit
/// on, as in production; <see cref="PostgresTestServer.Start"/>, stopped when the process exits): a work folder is a schema
/// of its own, every agent of it in that schema.
/// </summary>
internal sealed class PostgresBenchEngine : BenchEngine
{
    private static readonly Lazy<PostgresTestServer> Server = new(() => PostgresTestServer.Start(durable: true), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The catalog's line: this engine where a server may be had (installed, or installable as root); elsewhere the reports leave it out.</summary>
    public static IEnumerable<BenchEngine> WhereAServerCanRun => PostgresTestServer.CanTry ? [new PostgresBenchEngine()] : [];

    public override string Name => "postgres";

    public override string BytesNote => "the schema's tables with their indexes and TOAST (pg_total_relation_size) after VACUUM; the server's WAL and catalogs are not counted";

    public override async ValueTask<SessionStore> OpenAsync(string workFolder, string agentId) =>
        await PostgresSessionStore.OpenAsync(new PostgresSessionStoreOptions { ConnectionString = Server.Value.ConnectionString(), Schema = SchemaOf(workFolder), AgentId = agentId });

    public override long BytesOnDisk(string workFolder)
    {
        var schema = SchemaOf(workFolder);
        using var connection = new NpgsqlConnection(Server.Value.ConnectionString());
        connection.Open();
        var tables = new List<string>();
        using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = $1", connection))
        {
            list.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var vacuum = new NpgsqlCommand($"VACUUM \"{schema}\".\"{table}\"", connection);
            vacuum.ExecuteNonQuery();
        }

        using var size = new NpgsqlCommand(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
            connection);
        size.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        return (long)size.ExecuteScalar()!;
    }

    /// <summary>The schema of a work folder: the same folder always maps to the same schema.</summary>
    private static string SchemaOf(string workFolder) =>
        "bench_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(workFolder))))[..16];
}
