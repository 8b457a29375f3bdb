using Npgsql;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Postgres;
using TestAgent;

namespace SessionKinds.Tests.PostgresEngine;

/// <summary>
/// The schema is created or migrated when a store opens: nodes opening at once create it once, a schema newer than the
/// code is refused (nothing written), a schema holding someone else's tables is refused, a non-UTF8 database is
/// refused; the schema name is configurable, and one schema holds many agents that never see each other.
/// </summary>
public sealed class SchemaTests
{
    [SkippableFact]
    public async Task Twelve_nodes_opening_a_new_schema_at_once_create_it_once()
    {
        var server = PostgresServerOrSkip.Get();
        var schema = "sk_race_" + Guid.NewGuid().ToString("N")[..8];

        var stores = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () => await PostgresSessionStore.OpenAsync(
            new PostgresSessionStoreOptions { ConnectionString = server.ConnectionString(), Schema = schema, AgentId = $"node{i}" }))));
        try
        {
            await Task.WhenAll(stores.Select(async store => await store.CompleteAsync(store.StartSession(SessionKind.User, "k"), "hi")));
            await using var connection = new NpgsqlConnection(server.ConnectionString());
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand($"SELECT (SELECT count(*) FROM \"{schema}\".schema_version), (SELECT version FROM \"{schema}\".schema_version), (SELECT count(*) FROM \"{schema}\".sessions)", connection);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal((1L, 1, 12L), (reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2)));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [SkippableFact]
    public async Task A_schema_migrated_by_a_newer_version_is_refused_with_what_to_do_and_nothing_is_written()
    {
        await using var s = PostgresTestSupport.Create();
        var agent = s.Agent();
        await s.RunAsync<ChatTurn>("agent:main:main", "hello");
        await agent.ExecuteAsync($"UPDATE {agent.QuotedSchema}.schema_version SET version = 2");
        var before = await s.SnapshotAsync();

        var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await agent.OpenAsync(s.Settings));

        Assert.Contains($"Schema \"{agent.Schema}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("is at store schema version 2, newer than this SessionKinds.PostgreSql knows (1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade SessionKinds.PostgreSql on this node (nothing was written)", error.Message, StringComparison.Ordinal);
        await s.AssertUnchangedSinceAsync(before, "a newer schema is refused");
    }

    [SkippableFact]
    public async Task A_schema_holding_another_applications_tables_is_refused()
    {
        var server = PostgresServerOrSkip.Get();
        var schema = "sk_foreign_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(server.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.sessions (id int)", connection);
            await create.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await PostgresSessionStore.OpenAsync(
            new PostgresSessionStoreOptions { ConnectionString = server.ConnectionString(), Schema = schema, AgentId = "main" }));

        Assert.Contains("already holds a table the session store would create", error.Message, StringComparison.Ordinal);
        Assert.Contains("Choose another schema with PostgresSessionStoreOptions.Schema", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_database_that_is_not_UTF8_is_refused()
    {
        var server = PostgresServerOrSkip.Get();
        var database = "sk_ascii_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database} ENCODING 'SQL_ASCII' TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await PostgresSessionStore.OpenAsync(
            new PostgresSessionStoreOptions { ConnectionString = server.ConnectionString(database), AgentId = "main" }));

        Assert.Contains($"Database \"{database}\" on the PostgreSQL server 127.0.0.1:{server.Port}/{database} uses the encoding SQL_ASCII", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Agents_sharing_a_schema_with_any_name_never_see_each_other()
    {
        var server = PostgresServerOrSkip.Get();
        var schema = "Team \"A\" sessions " + Guid.NewGuid().ToString("N")[..6];
        PostgresSessionStore Open(string agent) => PostgresSessionStore.OpenAsync(new PostgresSessionStoreOptions
        {
            ConnectionString = server.ConnectionString(),
            Schema = schema,
            AgentId = agent,
        }).AsTask().GetAwaiter().GetResult();

        await using var main = Open("main");
        await using var ops = Open("ops agent ☎");
        await main.CompleteAsync(main.StartSession<ChatTurn>("agent:main:main", "hi"), "hello main");
        await main.CompleteAsync(main.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK");
        await main.CompleteAsync(main.StartSession<MorningBrief>("cron:brief"), "Brief");
        await ops.CompleteAsync(ops.StartSession<ChatTurn>("agent:main:main", "hi"), "hello ops");

        Assert.Equal(schema, main.Schema);
        Assert.Equal("hello ops", (await ops.ReadTranscriptAsync((await ops.FindSessionAsync("agent:main:main"))!.SessionId!))!.Messages[^1].Content);
        Assert.Equal("hello main", (await main.ReadTranscriptAsync((await main.FindSessionAsync("agent:main:main"))!.SessionId!))!.Messages[^1].Content);
        Assert.Null(await ops.ReadTranscriptAsync((await main.FindSessionAsync("agent:main:main"))!.SessionId!));
        Assert.Equal(0, (await ops.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Empty((await ops.ReadHeartbeatRingAsync()).Entries);
        Assert.Empty((await ops.ReadCronRunsAsync()).Runs);
        Assert.Equal(2, (await main.ReadSessionsAsync()).Count);
        Assert.Single(await ops.ReadSessionsAsync());
    }

    [SkippableFact]
    public async Task An_ack_touches_a_constant_number_of_rows_and_never_the_sessions_or_transcripts()
    {
        await using var s = PostgresTestSupport.Create();
        var agent = s.Agent();
        await s.RunAsync<ChatTurn>("agent:main:main", "hello");
        await s.RunAsync<InboxCheck>("agent:main:hb", "Disk 97% full");
        var sessionsBefore = await agent.ScalarAsync<string>($"SELECT string_agg(t::text, '|' ORDER BY session_key) FROM {agent.QuotedSchema}.sessions t");
        var transcriptsBefore = await agent.ScalarAsync<long>($"SELECT count(*) FROM {agent.QuotedSchema}.transcript_events");

        for (var i = 0; i < 300; i++)
        {
            s.Time.Advance(TimeSpan.FromMinutes(30));
            Assert.Equal(ReplyVerdict.Ack, (await s.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK")).Verdict);
        }

        // 300 acks: the sessions and transcripts as they were, two state rows, the ring at its bound of 50.
        Assert.Equal(sessionsBefore, await agent.ScalarAsync<string>($"SELECT string_agg(t::text, '|' ORDER BY session_key) FROM {agent.QuotedSchema}.sessions t"));
        Assert.Equal(transcriptsBefore, await agent.ScalarAsync<long>($"SELECT count(*) FROM {agent.QuotedSchema}.transcript_events"));
        Assert.Equal(2L, await agent.ScalarAsync<long>($"SELECT count(*) FROM {agent.QuotedSchema}.heartbeat_state"));
        Assert.Equal((50, 50), await agent.CountStoredRingEntriesAsync(HeartbeatSessionAttribute.DefaultRingFile));
        Assert.Equal(300, (await s.Store.ReadHeartbeatStateAsync()).ConsecutiveOks);
    }
}
