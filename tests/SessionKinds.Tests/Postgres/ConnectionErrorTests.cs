using System.Net;
using System.Net.Sockets;
using Npgsql;
using SessionKinds.Tests.Postgres;

namespace SessionKinds.Tests.PostgresEngine;

/// <summary>
/// A store that cannot use its server says which server (host:port/database, never the password), what went wrong and
/// what to check: nothing listening on the port, a wrong password, a missing database, a missing privilege, a bad
/// connection string or agent id.
/// </summary>
public sealed class ConnectionErrorTests
{
    private const string Secret = "s3cret-Pa55word";

    [SkippableFact]
    public async Task A_port_nobody_listens_on_is_named_with_what_to_check_and_the_password_is_never_shown()
    {
        PostgresServerOrSkip.Get();
        var port = ClosedLoopbackPort();

        var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await OpenAsync($"Host=127.0.0.1;Port={port};Database=gateway;Username=gw;Password={Secret};Timeout=5"));

        Assert.Contains($"127.0.0.1:{port}/gateway", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}/gateway", error.Location, StringComparison.Ordinal);
        Assert.Contains("the connection was refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check that the server is running and listens on that host and port", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_wrong_password_names_the_user_and_the_server_and_not_the_password()
    {
        var server = PostgresServerOrSkip.Get();

        var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await OpenAsync(
            $"Host=127.0.0.1;Port={server.Port};Database={PostgresTestServer.Database};Username={PostgresTestServer.PasswordUser};Password={Secret}"));

        Assert.Contains($"127.0.0.1:{server.Port}/{PostgresTestServer.Database}", error.Message, StringComparison.Ordinal);
        Assert.Contains("28P01", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Check Username and Password in the connection string (user \"{PostgresTestServer.PasswordUser}\"; the password is not shown)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_right_password_without_the_privilege_to_create_the_schema_says_what_to_grant_and_works_once_granted()
    {
        var server = PostgresServerOrSkip.Get();
        var connectionString = $"Host=127.0.0.1;Port={server.Port};Database={PostgresTestServer.Database};Username={PostgresTestServer.PasswordUser};Password={PostgresTestServer.PasswordUserPassword}";
        var schema = "sk_grants_" + Guid.NewGuid().ToString("N")[..8];

        var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await OpenAsync(connectionString, schema));
        Assert.Contains($"User \"{PostgresTestServer.PasswordUser}\" lacks a privilege on the PostgreSQL server 127.0.0.1:{server.Port}/{PostgresTestServer.Database}", error.Message, StringComparison.Ordinal);
        Assert.Contains("grant CREATE on the database", error.Message, StringComparison.Ordinal);

        await using (var admin = new NpgsqlConnection(server.ConnectionString()))
        {
            await admin.OpenAsync();
            await using var grant = new NpgsqlCommand($"GRANT CREATE ON DATABASE {PostgresTestServer.Database} TO {PostgresTestServer.PasswordUser}", admin);
            await grant.ExecuteNonQueryAsync();
        }

        await using var store = await OpenAsync(connectionString, schema);
        await store.CompleteAsync(store.StartSession(SessionKind.User, "k"), "works");
        Assert.Single(await store.ReadSessionsAsync());
    }

    [SkippableFact]
    public async Task A_missing_database_is_named_with_how_to_fix_it()
    {
        var server = PostgresServerOrSkip.Get();

        var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await OpenAsync($"Host=127.0.0.1;Port={server.Port};Database=no_such_db;Username=postgres"));

        Assert.Contains($"127.0.0.1:{server.Port}/no_such_db has no database \"no_such_db\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("Create it (CREATE DATABASE) or fix Database in the connection string", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Settings_that_cannot_work_are_refused_before_connecting_naming_them()
    {
        var server = PostgresServerOrSkip.Get();
        var good = server.ConnectionString();

        Assert.Contains("ConnectionString is not set", (await Assert.ThrowsAsync<ArgumentException>(async () => await OpenAsync(null))).Message, StringComparison.Ordinal);
        Assert.Contains("not a valid Npgsql connection string", (await Assert.ThrowsAsync<ArgumentException>(async () => await OpenAsync("Host=127.0.0.1;Colour=blue"))).Message, StringComparison.Ordinal);
        Assert.Contains("AgentId", (await Assert.ThrowsAsync<ArgumentException>(async () => await OpenAsync(good, agentId: " "))).Message, StringComparison.Ordinal);
        Assert.Contains("control character", (await Assert.ThrowsAsync<ArgumentException>(async () => await OpenAsync(good, agentId: "main\0"))).Message, StringComparison.Ordinal);
        Assert.Contains("63 bytes", (await Assert.ThrowsAsync<ArgumentException>(async () => await OpenAsync(good, new string('s', 64)))).Message, StringComparison.Ordinal);
        Assert.Contains("reserved by PostgreSQL", (await Assert.ThrowsAsync<ArgumentException>(async () => await OpenAsync(good, "pg_catalog"))).Message, StringComparison.Ordinal);
        Assert.Contains("LockTimeout", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await PostgresSessionStore.OpenAsync(new PostgresSessionStoreOptions
        {
            ConnectionString = good,
            AgentId = "main",
            LockTimeout = TimeSpan.Zero,
        }))).Message, StringComparison.Ordinal);
    }

    private static ValueTask<PostgresSessionStore> OpenAsync(string? connectionString, string schema = PostgresSessionStoreOptions.DefaultSchema, string? agentId = "main") =>
        PostgresSessionStore.OpenAsync(new PostgresSessionStoreOptions { ConnectionString = connectionString, Schema = schema, AgentId = agentId });

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: nothing listens there
    }
}
