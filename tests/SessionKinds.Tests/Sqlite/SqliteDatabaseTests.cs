using Microsoft.Data.Sqlite;
using SessionKinds.Sqlite.Storage;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Sqlite;

/// <summary>
/// What only the SQLite engine has: the database file (WAL verified, owner-only, schema version refused when newer, a
/// foreign or damaged file refused with its path), network file systems refused, many agents in one file kept apart,
/// an ack that never touches the sessions table and changes the same few rows however big the store, the busy timeout,
/// append-only transcripts, and its options.
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class SqliteDatabaseTests
{
    [Fact]
    public async Task A_new_database_is_created_owner_only_in_wal_mode_at_the_current_schema_version()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Root, "new", "folder", "sessions.db");
        await using (var store = new SqliteSessionStore(path, "a"))
        {
            await store.CompleteAsync(store.StartSession(SessionKind.User, "k"), "r");
            Assert.Equal((path, "a"), (store.DatabasePath, store.AgentId));
        }

        using var connection = Open(path);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(1L, Scalar(connection, "SELECT version FROM schema_version"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM schema_version"));
        Assert.Equal(
            ["cron_runs", "heartbeat_state", "occurrence_claims", "ring_entries", "schema_version", "sessions", "transcript_events"],
            Strings(connection, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"));
        Assert.Contains("sessions_by_kind", Strings(connection, "SELECT name FROM sqlite_schema WHERE type = 'index'"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task A_database_of_a_newer_schema_is_refused_naming_the_file_and_both_versions_and_left_unchanged()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Root, "sessions.db");
        await new SqliteSessionStore(path).DisposeAsync();
        using (var connection = Open(path))
        {
            Execute(connection, "UPDATE schema_version SET version = 7, written_by = 'SessionKinds.Sqlite 9.0.0'");
        }

        var error = Assert.Throws<SessionStoreException>(() => new SqliteSessionStore(path));

        Assert.Equal(path, error.Location);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("knows versions up to 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade the package", error.Message, StringComparison.Ordinal);
        using var after = Open(path);
        Assert.Equal(7L, Scalar(after, "SELECT version FROM schema_version"));
    }

    [Fact]
    public void A_foreign_database_or_a_file_that_is_not_a_database_is_refused_naming_it_and_left_unchanged()
    {
        using var temp = new TempFolder();
        var foreign = Path.Combine(temp.Root, "app.db");
        using (var connection = Open(foreign))
        {
            Execute(connection, "CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO orders VALUES (1)");
        }

        var notSessionKinds = Assert.Throws<SessionStoreException>(() => new SqliteSessionStore(foreign));
        Assert.Contains($"{foreign} holds 1 table(s) but no schema_version table", notSessionKinds.Message, StringComparison.Ordinal);

        var garbage = Path.Combine(temp.Root, "garbage.db");
        var bytes = new byte[8192];
        new Random(1).NextBytes(bytes);
        File.WriteAllBytes(garbage, bytes);
        var damaged = Assert.Throws<SessionStoreException>(() => new SqliteSessionStore(garbage));
        Assert.Equal(garbage, damaged.Location);
        Assert.Contains("not a database", damaged.Message, StringComparison.Ordinal);
        Assert.Contains(".recover", damaged.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(garbage));
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=x.db;Mode=Memory")]
    [InlineData("Data Source=x.db;Mode=ReadOnly")]
    [InlineData("Data Source=")]
    public void A_data_source_that_cannot_use_wal_is_refused_before_anything_is_opened(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteSessionStore(new SqliteSessionStoreOptions { ConnectionString = connectionString }));
        Assert.True(error.Message.Contains("is not a database file", StringComparison.Ordinal) || error.Message.Contains("read-only", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Options_out_of_range_are_refused_naming_them()
    {
        Assert.Contains("either DatabasePath", Assert.Throws<ArgumentException>(() => new SqliteSessionStore(new SqliteSessionStoreOptions())).Message, StringComparison.Ordinal);
        Assert.Contains("not both", Assert.Throws<ArgumentException>(() => new SqliteSessionStore(new SqliteSessionStoreOptions { DatabasePath = "a.db", ConnectionString = "Data Source=b.db" })).Message, StringComparison.Ordinal);
        foreach (var agent in new[] { "", " ", "a\0b", "a\nb", new string('a', 257), "bad\uD800" })
        {
            Assert.Contains("AgentId is not valid", Assert.Throws<ArgumentException>(() => new SqliteSessionStore("x.db", agent)).Message, StringComparison.Ordinal);
        }

        Assert.Contains("BusyTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteSessionStore(new SqliteSessionStoreOptions { DatabasePath = "x.db", BusyTimeout = TimeSpan.Zero })).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/mnt/share/agents/sessions.db", "nfs4")]
    [InlineData("/mnt/share/local/sessions.db", null)]
    [InlineData("/srv/smb space/sessions.db", "cifs")]
    [InlineData("/home/u/remote/sessions.db", "fuse.sshfs")]
    [InlineData("/var/lib/agents/sessions.db", null)]
    [InlineData("/mnt/shared/sessions.db", null)]
    public void Network_file_systems_are_found_by_the_mount_that_holds_the_path(string path, string? expected)
    {
        const string MountInfo = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            40 22 0:45 / /mnt/share rw,relatime shared:20 - nfs4 server:/export rw,vers=4.2
            41 40 0:46 / /mnt/share/local rw - tmpfs tmpfs rw
            42 22 0:47 / /srv/smb\040space rw - cifs //nas/agents rw
            43 22 0:48 / /home/u/remote rw,nosuid - fuse.sshfs u@host:/data rw
            44 22 0:49 / /mnt/shared rw - ext4 /dev/sdb1 rw
            """;

        Assert.Equal(expected, NetworkFileSystems.DetectInMountInfo(MountInfo.Replace("\r", "", StringComparison.Ordinal), path));
    }

    [Fact]
    public void The_test_machines_temp_folder_is_local_and_accepted()
    {
        using var temp = new TempFolder();
        Assert.Null(NetworkFileSystems.Detect(Path.Combine(temp.Root, "sessions.db")));
    }

    [Fact]
    public async Task Many_agents_share_one_file_and_never_see_each_others_rows()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Root, "sessions.db");
        var time = Clock.NewFake();
        await using var a = new SqliteSessionStore(new SqliteSessionStoreOptions { DatabasePath = path, AgentId = "a", Time = time, CronRunsToKeep = 2 });
        await using var b = new SqliteSessionStore(new SqliteSessionStoreOptions { DatabasePath = path, AgentId = "b", Time = time, CronRunsToKeep = 2 });

        foreach (var (store, name) in new[] { (a, "a"), (b, "b") })
        {
            await store.CompleteAsync(store.StartSession<ChatTurn>("agent:main:main", $"hi from {name}"), $"hello {name}");
            await store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:hb"), $"alert {name}");
            for (var i = 0; i < 3; i++)
            {
                await store.CompleteAsync(store.StartSession<MorningBrief>("cron:brief"), $"brief {name} {i}");
            }
        }

        await b.CompleteAsync(b.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK");
        await a.TryClaimOccurrenceAsync("TestAgent.MorningBrief", Clock.Start, "node-a", TimeSpan.FromMinutes(5));

        foreach (var (store, name) in new[] { (a, "a"), (b, "b") })
        {
            var entries = await store.ReadSessionsAsync();
            Assert.Equal(["agent:main:main", "agent:main:hb", "cron:brief"], entries.Select(e => e.Key));
            Assert.Equal([$"hi from {name}", $"hello {name}"], (await store.ReadTranscriptAsync(entries[0].SessionId!))!.Messages.Select(m => m.Content));
            Assert.Null(await store.ReadTranscriptAsync((await (name == "a" ? b : a).FindSessionAsync("agent:main:main"))!.SessionId!));
            Assert.Equal([$"brief {name} 1", $"brief {name} 2"], (await store.ReadCronRunsAsync()).Runs.Select(r => r.Summary));
            Assert.Equal($"alert {name}", (await store.ReadHeartbeatStateAsync()).LastAlertSummary);
        }

        Assert.Equal((0, 1), ((await a.ReadHeartbeatStateAsync()).ConsecutiveOks, (await b.ReadHeartbeatStateAsync()).ConsecutiveOks));
        Assert.Equal((1, 2), ((await a.ReadHeartbeatRingAsync()).Entries.Count, (await b.ReadHeartbeatRingAsync()).Entries.Count));
        Assert.Equal(OccurrenceClaimStatus.Claimed, (await b.TryClaimOccurrenceAsync("TestAgent.MorningBrief", Clock.Start, "node-b", TimeSpan.FromMinutes(5))).Status);
        Assert.Equal(OccurrenceClaimStatus.Held, (await a.TryClaimOccurrenceAsync("TestAgent.MorningBrief", Clock.Start, "node-b", TimeSpan.FromMinutes(5))).Status);
    }

    [Fact]
    public async Task An_ack_never_touches_the_sessions_table_and_changes_the_same_rows_however_many_sessions_there_are()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Root, "sessions.db");
        await using var store = new SqliteSessionStore(new SqliteSessionStoreOptions { DatabasePath = path, Time = Clock.NewFake() });
        using (var connection = Open(path))
        {
            // Triggers of the test's own count every row written to every table.
            Execute(connection, "CREATE TABLE audit (tbl TEXT, op TEXT)");
            foreach (var table in SqliteSchema.Tables)
            {
                foreach (var op in new[] { "INSERT", "UPDATE", "DELETE" })
                {
                    Execute(connection, $"CREATE TRIGGER audit_{table}_{op} AFTER {op} ON {table} BEGIN INSERT INTO audit VALUES ('{table}', '{op}'); END");
                }
            }
        }

        async Task<string> AcksAsync(int count)
        {
            using (var connection = Open(path))
            {
                Execute(connection, "DELETE FROM audit");
            }

            for (var i = 0; i < count; i++)
            {
                await store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:main"), "HEARTBEAT_OK");
            }

            using var after = Open(path);
            return string.Join(", ", Strings(after, "SELECT tbl || ' ' || op || ' ' || count(*) FROM audit GROUP BY tbl, op ORDER BY tbl, op"));
        }

        // The ring fills to its 50 first; then every ack is the same few rows.
        await AcksAsync(50);
        var small = await AcksAsync(100);
        for (var i = 0; i < 2_000; i++)
        {
            await store.CompleteAsync(store.StartSession(SessionKind.User, $"agent:main:dm:{i}"), "hi");
        }

        var large = await AcksAsync(100);

        Assert.Equal("heartbeat_state UPDATE 200, ring_entries DELETE 100, ring_entries INSERT 100", small);
        Assert.Equal(small, large);
        Assert.Equal(2_000, (await store.ReadSessionsAsync()).Count);
        Assert.Equal(250, (await store.ReadHeartbeatStateAsync()).ConsecutiveOks);
    }

    [Fact]
    public async Task A_writer_busy_past_the_busy_timeout_fails_naming_the_file_and_nothing_is_written()
    {
        await using var s = StoreUnderTest.Create("sqlite", settings => settings with { WaitTimeout = TimeSpan.FromMilliseconds(300) });
        var agent = (SqliteStoreAgent)s.Agent;
        var first = await s.RunAsync<ChatTurn>("agent:main:main", "hi");
        var before = await s.SnapshotAsync();
        var handle = s.Store.StartSession<ChatTurn>("agent:main:main", "again");

        var child = RunningWriter.Start(WriterChild.Arguments("hold-lock", agent));
        try
        {
            await child.WaitForLinesAsync(1).WaitAsync(TimeSpan.FromSeconds(120));
            var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await s.Store.CompleteAsync(handle, "blocked"));
            Assert.Equal(agent.DatabasePath, error.Location);
            Assert.Contains($"timed out after 0.3 s waiting for the write lock of the SQLite database {agent.DatabasePath}", error.Message, StringComparison.Ordinal);
            Assert.Contains("BusyTimeout", error.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was written", error.Message, StringComparison.Ordinal);
            Assert.False(handle.IsCompleted);
        }
        finally
        {
            await child.KillAsync(TimeSpan.FromSeconds(60));
            child.Dispose();
        }

        await s.AssertUnchangedSinceAsync(before, "a completion that timed out");
        await s.Store.CompleteAsync(handle, "unblocked");
        Assert.Equal(["prompt", "hi", "again", "unblocked"], (await s.Store.ReadTranscriptAsync(first.SessionId))!.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task Transcript_events_are_append_only()
    {
        await using var s = StoreUnderTest.Create("sqlite");
        var outcome = await s.RunAsync<ChatTurn>("agent:main:main", "hi");
        using var connection = ((SqliteStoreAgent)s.Agent).Connect();

        var error = Assert.Throws<SqliteException>(() => Execute(connection, "UPDATE transcript_events SET line = '{}'"));

        Assert.Contains("transcript_events is append-only", error.Message, StringComparison.Ordinal);
        Assert.Equal("hi", (await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages[^1].Content);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }
}
