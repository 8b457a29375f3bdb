using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionKinds.Hosting.Tests.Infrastructure;
using SessionKinds.Tests.Postgres;

namespace SessionKinds.Hosting.Tests.Configuration;

/// <summary>
/// <c>UseSqlite</c> and <c>UsePostgres</c> on the host builder: the host's agent id and clock reach the store, scheduled
/// runs land as rows, a PostgreSQL store opens asynchronously as the host starts (and not before), and a server that
/// cannot be used fails the start with a message naming it.
/// </summary>
public sealed class DatabaseStoreTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task UseSqlite_runs_a_heartbeat_on_the_hosts_clock_and_its_rows_are_in_the_database()
    {
        var start = Monday.AddMinutes(5);
        var time = new FakeTimeProvider(start);
        var database = Path.Combine(_folder.Path, "db", "sessions.db");
        await using var host = TestHost.Create(time, _folder.Path, [typeof(ProbeHeartbeat)], o => { o.AgentId = "sqlite-agent"; o.CatchUpWindow = TimeSpan.Zero; },
            store: b => b.UseSqlite(database));
        var alerts = 0;
        host.Behavior.Set<ProbeHeartbeat>((_, _) => new(Interlocked.Increment(ref alerts) == 1 ? "the disk is 95% full" : "HEARTBEAT_OK"));
        await host.StartAsync();

        var slots = Plans.Next<ProbeHeartbeat>(start, 2, "sqlite-agent");
        var verdicts = new List<string>();
        foreach (var slot in slots)
        {
            host.MoveTo(slot);
            verdicts.Add((await host.NextAsync(typeof(ProbeHeartbeat))).Verdict);
        }

        Assert.Equal(["alert", "ack"], verdicts);
        var store = Assert.IsType<SqliteSessionStore>(host.Store);
        Assert.Equal(("sqlite-agent", Path.GetFullPath(database)), (store.AgentId, store.DatabasePath));

        // Read with SQL, not through the store: the alert's entry, both ring entries (stamped by the host's fake clock),
        // the heartbeat state, and both occurrences done.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        long Count(string sql) => (long)new SqliteCommand(sql, connection).ExecuteScalar()!;
        Assert.Equal(1, Count("SELECT count(*) FROM sessions WHERE agent_id = 'sqlite-agent' AND kind = 'heartbeat'"));
        Assert.Equal(2, Count("SELECT count(*) FROM ring_entries WHERE agent_id = 'sqlite-agent' AND ring = 'probe-ring.json'"));
        Assert.Equal(slots[1].ToUnixTimeSeconds(), Count("SELECT max(ts) FROM ring_entries WHERE agent_id = 'sqlite-agent'"));
        Assert.Equal(1, Count($"SELECT consecutive_oks FROM heartbeat_state WHERE agent_id = 'sqlite-agent' AND task = '{typeof(ProbeHeartbeat).FullName}'"));
        Assert.Equal(2, Count("SELECT count(*) FROM occurrence_claims WHERE agent_id = 'sqlite-agent' AND done = 1"));
    }

    [SkippableFact]
    public async Task UsePostgres_opens_the_store_as_the_host_starts_and_a_cron_run_lands_in_the_database()
    {
        var server = PostgresServerOrSkip.Get();
        var schema = PostgresServer.NewSchema();
        var time = new FakeTimeProvider(Monday.AddMinutes(30));
        await using var host = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => { o.AgentId = "pg-agent"; o.CatchUpWindow = TimeSpan.Zero; },
            store: b => b.UsePostgres(server.ConnectionString(), o => o.Schema = schema));

        // Not open before the host starts: resolving the store says so instead of blocking on the server.
        var early = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<SessionStore>());
        Assert.Contains("cannot be resolved before IHost.StartAsync", early.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await server.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1", schema));

        await host.StartAsync();
        var store = Assert.IsType<PostgresSessionStore>(host.Store);
        Assert.Same(store, host.Services.GetRequiredService<SessionStore>());
        Assert.Equal(("pg-agent", schema, time), (store.AgentId, store.Schema, store.Time));

        host.MoveTo(Monday.AddHours(1));
        Assert.Equal("output", (await host.NextAsync(typeof(HourlyJob))).Verdict);

        Assert.Equal(1L, await server.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".cron_runs WHERE agent_id = 'pg-agent' AND verdict = 'output'"));
        Assert.Equal(1L, await server.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".sessions WHERE agent_id = 'pg-agent' AND kind = 'cron'"));
        Assert.Equal(1L, await server.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".occurrence_claims WHERE agent_id = 'pg-agent' AND done AND scheduled_at = $1", Monday.AddHours(1)));
    }

    [Fact]
    public async Task UsePostgres_with_a_server_that_cannot_be_reached_fails_the_start_naming_the_server()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port; // free once stopped: nothing listens there
        }

        var connectionString = $"Host=127.0.0.1;Port={port};Database=gateway;Username=gateway;Password=secret-password;Timeout=5";
        await using var host = TestHost.Create(new FakeTimeProvider(Monday), _folder.Path, [typeof(HourlyJob)], store: b => b.UsePostgres(connectionString));

        var error = await Assert.ThrowsAsync<SessionStoreException>(() => host.Host.StartAsync());

        Assert.Contains($"PostgreSQL server 127.0.0.1:{port}/gateway", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection was refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-password", error.Message, StringComparison.Ordinal);
        var later = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<SessionStore>());
        Assert.StartsWith("The SessionKinds store could not be opened when the host started: Could not connect to the PostgreSQL server", later.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePostgres_with_a_malformed_connection_string_fails_the_start_naming_the_setting()
    {
        await using var host = TestHost.Create(new FakeTimeProvider(Monday), _folder.Path, [typeof(HourlyJob)], store: b => b.UsePostgres("Host=db1;Databse=gateway"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Host.StartAsync());

        Assert.StartsWith("PostgresSessionStoreOptions.ConnectionString is not a valid Npgsql connection string:", error.Message, StringComparison.Ordinal);
        Assert.Contains("databse", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _folder.Dispose();
}
