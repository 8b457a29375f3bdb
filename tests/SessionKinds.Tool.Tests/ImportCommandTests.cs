using Microsoft.Data.Sqlite;
using Npgsql;
using SessionKinds.Tests.Postgres;
using SessionKinds.Tool.Import;
using SessionKinds.Tool.Tests.Infrastructure;

namespace SessionKinds.Tool.Tests;

/// <summary>
/// <c>sessionkinds import</c>: an agent folder into SQLite and into a real PostgreSQL server, every entry's JSON exactly
/// and every transcript line, the folder left byte for byte; a dry run that writes nothing (no database file, no schema, no
/// rows); and each way it can go wrong, with its exit code and message.
/// </summary>
public class ImportCommandTests
{
    private const string Usage = "Run 'sessionkinds import --help' for usage.\n";

    [Fact]
    public async Task Import_into_sqlite_writes_every_entry_and_line_and_leaves_the_folder_byte_for_byte()
    {
        using var temp = new TempFolder();
        var folder = GatewayAgentFolder(temp);
        var database = temp.File("sessions.db");
        var before = FolderSnapshot.Take(folder);

        var result = await ToolRunner.RunAsync("import", folder, "--to", "sqlite:" + database);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Error);
        Assert.StartsWith($"{folder} (read)\n  session entries ", result.Output, StringComparison.Ordinal);
        // Counts whose bytes another row already holds show "-", not a misleading "0 B".
        Assert.Matches(@"\n    kind decided from the key +\d+ +-\n", result.Output);
        Assert.Matches(@"\n  transcript lines +21 +[\d,]+ B\n", result.Output);
        Assert.EndsWith(
            $"Imported 9 entries, 7 transcripts (21 lines), 0 ring entries and 0 cron runs into SQLite database {database}, agent main.\n",
            result.Output,
            StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Take(folder));

        // The agent id is "main" (agents/main/sessions); every entry's JSON exactly as in the file, every line in order.
        var raw = RawEntries.Read(File.ReadAllBytes(Path.Combine(folder, "sessions.json")));
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        var entries = Query(connection, "SELECT session_key, entry FROM sessions WHERE agent_id = 'main'").ToDictionary(r => r[0], r => r[1]);
        Assert.Equal(raw.Keys.Order(StringComparer.Ordinal), entries.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, bytes) in raw)
        {
            Assert.Equal(RawEntries.Text(bytes), entries[key]);
        }

        var lines = Query(connection, $"SELECT line FROM transcript_events WHERE agent_id = 'main' AND session_id = '{SmallStores.MainId}' ORDER BY seq").Select(r => r[0]);
        Assert.Equal(File.ReadAllLines(Path.Combine(folder, SmallStores.MainId + ".jsonl")), lines);
    }

    [Fact]
    public async Task A_dry_run_prints_the_report_and_writes_no_database_file_and_no_rows()
    {
        using var temp = new TempFolder();
        var folder = GatewayAgentFolder(temp);
        var database = temp.File("sessions.db");
        var before = FolderSnapshot.Take(temp.Path);

        var result = await ToolRunner.RunAsync("import", folder, "--to", "sqlite:" + database, "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith(
            $"Dry run: nothing written. Would import 9 entries, 7 transcripts (21 lines), 0 ring entries and 0 cron runs into SQLite database {database} (a new file), agent main; run without --dry-run to import.\n",
            result.Output,
            StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Take(temp.Path)); // no sessions.db, -wal or -shm beside the folder

        // Into a database that exists: its rows stay as they were.
        Assert.Equal(0, (await ToolRunner.RunAsync("import", folder, "--to", "sqlite:" + database, "--agent", "other")).ExitCode);
        var dry = await ToolRunner.RunAsync("import", folder, "--to", "sqlite:" + database, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"Would import 9 entries, 7 transcripts (21 lines), 0 ring entries and 0 cron runs into SQLite database {database}, agent main;", dry.Output, StringComparison.Ordinal);
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        Assert.Equal([["other", "9"]], Query(connection, "SELECT agent_id, CAST(count(*) AS text) FROM sessions GROUP BY agent_id"));
    }

    [Fact]
    public async Task A_second_import_into_the_same_agent_is_refused_with_exit_1_and_nothing_written()
    {
        using var temp = new TempFolder();
        var folder = GatewayAgentFolder(temp);
        var database = temp.File("sessions.db");
        Assert.Equal(0, (await ToolRunner.RunAsync("import", folder, "--to", "sqlite:" + database)).ExitCode);

        var result = await ToolRunner.RunAsync("import", folder, "--to", "sqlite:" + database);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal(
            $"error: The agent main in the SQLite database {database} already holds 9 row(s) in sessions, 21 row(s) in transcript_events, so {folder} is not imported into it (an import never merges). " +
            "Import into a new agent id (SqliteSessionStoreOptions.AgentId) or a new database file. Nothing was written. With sessionkinds import: pass --agent <another id>, or another --to.\n",
            result.Error);
    }

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { ["--to", "mysql:db"], "error: --to 'mysql:db' names no store engine: use sqlite:<database file> or postgres:<Npgsql connection string>.\n" },
        { ["--to", "sqlite:"], "error: --to sqlite: needs the database file, e.g. --to sqlite:/var/lib/agents/sessions.db.\n" },
        { ["--to", "postgres:"], "error: --to postgres: needs an Npgsql connection string, e.g. --to \"postgres:Host=db1;Database=gateway;Username=gateway\".\n" },
        { ["--to", "sqlite:x.db", "--schema", "s"], "error: --schema applies to --to postgres:… only (a SQLite database has no schemas).\n" },
        { [], "error: Option '--to' is required.\n" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task A_bad_or_missing_to_is_a_usage_error_with_exit_2(string[] options, string message)
    {
        using var temp = new TempFolder();
        var folder = GatewayAgentFolder(temp);
        var before = FolderSnapshot.Take(temp.Path);

        var result = await ToolRunner.RunAsync(["import", folder, .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message + Usage, result.Error);
        Assert.Equal(before, FolderSnapshot.Take(temp.Path));
    }

    [Fact]
    public async Task A_missing_folder_exits_with_1_and_names_it()
    {
        using var temp = new TempFolder();
        var missing = temp.File("nope");

        var result = await ToolRunner.RunAsync("import", missing, "--to", "sqlite:" + temp.File("sessions.db"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {missing} does not exist. Pass an agent's sessions folder (e.g. ~/.openclaw/agents/main/sessions) or its sessions.json file.\n", result.Error);
        Assert.False(File.Exists(temp.File("sessions.db")));
    }

    [Fact]
    public async Task A_corrupt_sessions_json_exits_with_1_names_the_file_and_opens_no_database()
    {
        using var temp = new TempFolder();
        var folder = GatewayAgentFolder(temp);
        var sessions = Path.Combine(folder, "sessions.json");
        File.WriteAllText(sessions, "{\"agent:main:main\": {\"sessionId\": ");
        var before = FolderSnapshot.Take(temp.Path);

        var result = await ToolRunner.RunAsync("import", folder, "--to", "sqlite:" + temp.File("sessions.db"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: {sessions} is not readable (", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was imported and the file was left as it is: repair it, then import again.\n", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Take(temp.Path));
    }

    [Fact]
    public async Task A_database_file_in_a_missing_folder_exits_with_1_and_says_what_to_do()
    {
        using var temp = new TempFolder();
        var folder = GatewayAgentFolder(temp);
        var database = temp.File("no-such-folder/sessions.db");

        var result = await ToolRunner.RunAsync("import", folder, "--to", "sqlite:" + database);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: The folder {temp.File("no-such-folder")} of the database file {database} does not exist. Create it, or give another --to sqlite:<file>. Nothing was imported.\n", result.Error);
    }

    [Fact]
    public async Task An_unreachable_server_exits_with_1_names_it_and_says_what_to_check()
    {
        using var temp = new TempFolder();
        var folder = GatewayAgentFolder(temp);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nothing listens on

        var result = await ToolRunner.RunAsync("import", folder, "--to", $"postgres:Host=127.0.0.1;Port={port};Database=gateway;Username=gw;Password=secret;Timeout=5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: Could not connect to the PostgreSQL server 127.0.0.1:{port}/gateway while opening the session store: the connection was refused. " +
            "Check that the server is running and listens on that host and port (listen_addresses and port in postgresql.conf), and that Host and Port in the connection string are right. Nothing was written.\n",
            result.Error);
        Assert.DoesNotContain("secret", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/srv/openclaw/agents/ops/sessions", "ops")]
    [InlineData("/var/lib/agents/main", "main")]
    [InlineData("/var/lib/agents/support-bot", "support-bot")]
    public void The_agent_id_defaults_to_the_folders_name_or_the_gateways_agent_folder(string folder, string agent) =>
        Assert.Equal(agent, ImportCommand.DefaultAgentId(folder));

    [SkippableFact]
    public async Task Import_into_a_real_postgres_server_writes_every_entry_and_a_dry_run_leaves_no_schema()
    {
        var server = PostgresServerOrSkip.Get();
        using var temp = new TempFolder();
        var folder = GatewayAgentFolder(temp);
        var before = FolderSnapshot.Take(folder);
        var schema = "sk_tool_" + Guid.NewGuid().ToString("N")[..8];
        var to = "postgres:" + server.ConnectionString();
        await using var connection = new NpgsqlConnection(server.ConnectionString());
        await connection.OpenAsync();
        try
        {
            var dry = await ToolRunner.RunAsync("import", folder, "--to", to, "--schema", schema, "--dry-run");
            Assert.True(dry.ExitCode == 0, dry.ToString());
            Assert.Contains($"schema \"{schema}\" (a new schema), agent main; run without --dry-run to import.", dry.Output, StringComparison.Ordinal);
            Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_namespace WHERE nspname = $1 OR nspname LIKE 'sessionkinds_dry_run_%'", schema));

            var result = await ToolRunner.RunAsync("import", folder, "--to", to, "--schema", schema);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.EndsWith(
                $"Imported 9 entries, 7 transcripts (21 lines), 0 ring entries and 0 cron runs into PostgreSQL server 127.0.0.1:{server.Port}/{PostgresTestServer.Database}, schema \"{schema}\", agent main.\n",
                result.Output,
                StringComparison.Ordinal);
            Assert.Equal(before, FolderSnapshot.Take(folder));
            foreach (var (key, bytes) in RawEntries.Read(File.ReadAllBytes(Path.Combine(folder, "sessions.json"))))
            {
                Assert.Equal(RawEntries.Text(bytes), await ScalarAsync<string>(connection, $"SELECT entry FROM \"{schema}\".sessions WHERE agent_id = 'main' AND session_key = $1", key));
            }

            Assert.Equal(21L, await ScalarAsync<long>(connection, $"SELECT count(*) FROM \"{schema}\".transcript_events WHERE agent_id = $1", "main"));

            // A dry run into the schema that now holds the agent: refused like the import itself, nothing written.
            var again = await ToolRunner.RunAsync("import", folder, "--to", to, "--schema", schema, "--dry-run");
            Assert.Equal(1, again.ExitCode);
            Assert.StartsWith($"error: The agent main in schema \"{schema}\" on the PostgreSQL server 127.0.0.1:{server.Port}/{PostgresTestServer.Database} already holds 9 row(s) in sessions", again.Error, StringComparison.Ordinal);
        }
        finally
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary><see cref="SmallStores"/> in the gateway's layout, <c>agents/main/sessions</c>.</summary>
    private static string GatewayAgentFolder(TempFolder temp)
    {
        var folder = Path.Combine(temp.Path, "agents", "main", "sessions");
        Directory.CreateDirectory(folder);
        SmallStores.Write(folder);
        return folder;
    }

    private static List<string[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }

        return rows;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, string parameter)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
