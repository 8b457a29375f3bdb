using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Import;

/// <summary>
/// Importing an agent folder (<see cref="AgentFolderImport"/>) into every database engine: a gateway-shaped folder of 2,000
/// entries round-trips with every field of every entry and every transcript line, the kinds decided from the keys, the
/// heartbeat files and cron runs as the file store reads them; the folder stays byte for byte as it was (no lock file
/// either); a dry run writes nothing; a second import is refused whole. What only one engine shows is in
/// Sqlite/SqliteImportTests and Postgres/PostgresImportTests.
/// </summary>
public sealed class ImportTests(ITestOutputHelper output)
{
    /// <summary>The engines an agent folder imports into: every registered engine but the file store (the folder format itself).</summary>
    public static TheoryData<string> Targets => new(StoreEngines.Registered.Select(e => e.Name).Where(name => name != "file"));

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_gateway_store_of_2000_entries_round_trips_with_every_field_and_line_and_the_folder_untouched(string engine)
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Root, "gateway");
        var written = GatewayFolder.Write(folder, 2_000, seed: 11);
        var before = Fingerprint(folder);
        await using var s = StoreUnderTest.Create(engine);
        var target = (IAgentImportTarget)s.Store;
        var empty = await s.SnapshotAsync();

        // A dry run: the full report, nothing written anywhere.
        var dry = await AgentFolderImport.ImportAsync(folder, target, dryRun: true);
        Assert.True(dry.DryRun);
        Assert.False(dry.Written);
        Assert.Equal(2_000, dry.CountOf("session entries"));
        await s.AssertUnchangedSinceAsync(empty, "a dry run writes nothing");
        Assert.Empty(await s.Store.ReadSessionsAsync());
        Assert.Equal(before, Fingerprint(folder));

        var report = await AgentFolderImport.ImportAsync(folder, target);
        output.WriteLine(report.ToString());
        Assert.True(report.Written);
        Assert.Equal(target.ImportDestination, report.Destination);
        Assert.Equal(before, Fingerprint(folder));

        // Every entry: same keys in the same order, the JSON exactly as in the file, so every field with its raw value.
        using var source = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "sessions.json")));
        var sourceEntries = source.RootElement.EnumerateObject().ToList();
        var entries = (await s.Store.ReadSessionsAsync()).ToDictionary(e => e.Key);
        Assert.Equal(2_000, entries.Count);
        var fields = 0;
        foreach (var property in sourceEntries)
        {
            var entry = entries[property.Name];
            Assert.Equal(property.Value.GetRawText(), entry.Json);
            using var stored = JsonDocument.Parse(entry.Json);
            Assert.Equal(
                property.Value.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())),
                stored.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())));
            fields += property.Value.EnumerateObject().Count();
        }

        Assert.True(fields > 2_000 * 25, $"only {fields} fields");

        // The kind column: the kind field where there is one, else the key's shape; none for shapes that name no kind.
        var rows = await ImportedRows.ReadAsync(s.Agent);
        foreach (var (key, kind, _) in written.Entries)
        {
            Assert.Equal(kind == SessionKind.Unspecified ? "" : kind.ToString().ToLowerInvariant(), rows.Kinds[key]);
        }

        // Every transcript line, in order, exactly; the torn line skipped and reported; the orphan transcript kept.
        var lines = 0;
        foreach (var (sessionId, file) in written.TranscriptFiles.Append(new(written.OrphanId, written.OrphanId + ".jsonl")))
        {
            var expected = File.ReadAllText(Path.Combine(folder, file)).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
            if (file == written.TornFile)
            {
                expected.RemoveAt(expected.Count - 1);
            }

            var stored = rows.Lines[sessionId];
            Assert.Equal(expected, stored);
            lines += stored.Count;
        }

        Assert.Equal(lines, report.CountOf("transcript lines"));
        Assert.Equal(lines, rows.Lines.Values.Sum(l => l.Count));
        Assert.Equal(written.TranscriptFiles.Count + 1, report.CountOf("transcripts"));
        Assert.Contains(report.Skipped, skip => skip.Item.StartsWith(written.TornFile + " line ", StringComparison.Ordinal));

        // The heartbeat files and cron runs read back as the file store reads the same folder (from a copy: it writes lock files).
        var copy = Path.Combine(temp.Root, "copy");
        CopyFolder(folder, copy);
        await using (var files = new FileSessionStore(copy))
        {
            var (fileState, dbState) = (await files.ReadHeartbeatStateAsync(), await s.Store.ReadHeartbeatStateAsync());
            Assert.Equal((fileState.LastAck, fileState.ConsecutiveOks, fileState.LastAlert, fileState.LastAlertSummary), (dbState.LastAck, dbState.ConsecutiveOks, dbState.LastAlert, dbState.LastAlertSummary));
            Assert.Equal(fileState.Tasks.OrderBy(t => t.Key), dbState.Tasks.OrderBy(t => t.Key));
            var (fileRing, dbRing) = (await files.ReadHeartbeatRingAsync(), await s.Store.ReadHeartbeatRingAsync());
            Assert.Equal((fileRing.MaxEntries, fileRing.Task), (dbRing.MaxEntries, dbRing.Task));
            Assert.Equal(fileRing.Entries, dbRing.Entries);
            Assert.Equal((await files.ReadCronRunsAsync()).Runs, (await s.Store.ReadCronRunsAsync()).Runs);
            Assert.Equal(5, dbRing.Entries.Count);
            Assert.Equal(3, (await s.Store.ReadCronRunsAsync()).Runs.Count);
        }

        // What was skipped says why: the foreign heartbeat field, the archives, the claims, the lock, the sidecar.
        foreach (var item in new[] { "heartbeat-state.json field lastChecks", "sessions-2026-01-05T07-00-00.123Z.json.gz", "schedule-claims.json", "sessions.json.bak.1770000000000", "sessions.json.lock" })
        {
            Assert.Contains(report.Skipped, skip => skip.Item == item && skip.Reason.Length > 20);
        }

        // An imported session continues in the database: same id, its lines appended after the gateway's, its fields kept.
        var main = entries[sourceEntries[0].Name];
        var continued = await s.RunAsync<ChatTurn>(main.Key, "after the import");
        Assert.Equal(main.SessionId, continued.SessionId);
        var after = (await s.Store.FindSessionAsync(main.Key))!;
        Assert.Equal(SessionKind.User, after.Kind);
        using (var doc = JsonDocument.Parse(after.Json))
        {
            Assert.Equal(sourceEntries[0].Value.GetProperty("skillsSnapshot").GetRawText(), doc.RootElement.GetProperty("skillsSnapshot").GetRawText());
        }

        Assert.Equal("after the import", (await s.Store.ReadTranscriptAsync(main.SessionId!))!.Messages[^1].Content);

        // A second import into the same agent is refused whole, and a dry run of it too.
        var snapshot = await s.SnapshotAsync();
        var again = await Assert.ThrowsAsync<SessionStoreException>(async () => await AgentFolderImport.ImportAsync(folder, target));
        Assert.Contains("already holds", again.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", again.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SessionStoreException>(async () => await AgentFolderImport.ImportAsync(folder, target, dryRun: true));
        await s.AssertUnchangedSinceAsync(snapshot, "a second import is refused");
        Assert.Equal(before, Fingerprint(folder));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_folder_the_file_store_wrote_round_trips_into_another_agent_of_the_same_database(string engine)
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Root, "agent");
        var time = Clock.NewFake();
        await using (var files = new FileSessionStore(folder, new FileSessionStoreOptions { Time = time }))
        {
            await files.CompleteAsync(files.StartSession<ChatTurn>("agent:main:main", "hi"), new TaskReply("hello") { Messages = [new ReplyMessage("user", "hi"), new ReplyMessage("assistant", "hello", "{\"usage\":{\"input\":3}}")] });
            await files.CompleteAsync(files.StartSession<InboxCheck>("agent:main:hb"), "Disk 97% full");
            await files.CompleteAsync(files.StartSession<InboxCheck>("agent:main:hb"), "HEARTBEAT_OK");
            await files.CompleteAsync(files.StartSession<MorningBrief>("cron:brief"), "NO_REPLY");
            await DiskCheck.OpenHeartbeatRing(files).AppendAlertAsync("disk");
        }

        var before = Fingerprint(folder);
        await using var s = StoreUnderTest.Create(engine);

        // Another agent of the same database (the same file, or the same schema).
        await using var imported = s.Engine.OpenAgent([.. s.Agent.Arguments.SkipLast(1), "imported"]);
        await using var other = imported.Open(new StoreSettings(time));

        var report = await AgentFolderImport.ImportAsync(folder, (IAgentImportTarget)other);

        Assert.Equal(before, Fingerprint(folder));
        Assert.Equal(2, report.CountOf("session entries"));
        Assert.Equal(0, report.CountOf("  kind decided from the key"));
        CopyFolder(folder, folder + "-copy");
        await using var reference = new FileSessionStore(folder + "-copy");
        Assert.Equal((await reference.ReadSessionsAsync()).OrderBy(e => e.Key, StringComparer.Ordinal), (await other.ReadSessionsAsync()).OrderBy(e => e.Key, StringComparer.Ordinal));
        foreach (var entry in await other.ReadSessionsAsync())
        {
            Assert.Equal(await reference.ReadTranscriptAsync(entry.SessionId!), await other.ReadTranscriptAsync(entry.SessionId!), TranscriptComparer.Instance);
        }

        Assert.Equal((await reference.ReadHeartbeatStateAsync()).LastAlertSummary, (await other.ReadHeartbeatStateAsync()).LastAlertSummary);
        Assert.Equal((await reference.ReadHeartbeatRingAsync("heartbeat-ring-disk.json")).Entries, (await other.ReadHeartbeatRingAsync("heartbeat-ring-disk.json")).Entries);
        Assert.Equal((await reference.ReadCronRunsAsync()).Runs, (await other.ReadCronRunsAsync()).Runs);

        // The importing store's own agent is untouched, the rows pass the engine's own checks, and the imported ring keeps its owner.
        Assert.Empty(await s.Store.ReadSessionsAsync());
        Assert.Empty(await imported.FindIntegrityProblemsAsync());
        await Assert.ThrowsAsync<HeartbeatRingOwnershipException>(async () => await other.CompleteAsync(other.StartSession<CalendarCheck>("agent:main:cal"), "HEARTBEAT_OK"));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_folder_without_a_readable_sessions_json_is_refused_and_nothing_is_written(string engine)
    {
        using var temp = new TempFolder();
        await using var s = StoreUnderTest.Create(engine);
        var target = (IAgentImportTarget)s.Store;
        var empty = await s.SnapshotAsync();

        var missing = await Assert.ThrowsAsync<SessionStoreException>(async () => await AgentFolderImport.ImportAsync(Path.Combine(temp.Root, "nope"), target));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);

        var folder = Path.Combine(temp.Root, "broken");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "sessions.json"), "{\"agent:main:main\": {\"sessionId\": ");
        var before = Fingerprint(folder);
        var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await AgentFolderImport.ImportAsync(folder, target));
        Assert.Equal(Path.Combine(folder, "sessions.json"), error.Location);
        Assert.Contains("left as it is", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Fingerprint(folder));
        await s.AssertUnchangedSinceAsync(empty, "an unreadable folder is not imported");
    }

    [Theory]
    [InlineData("agent:main:main", SessionKind.User)]
    [InlineData("global", SessionKind.User)]
    [InlineData("agent:main:whatsapp:dm:+4912345", SessionKind.User)]
    [InlineData("agent:main:telegram:group:-100123:topic:9", SessionKind.User)]
    [InlineData("agent:ops:cron:nightly", SessionKind.Cron)]
    [InlineData("agent:ops:cron:nightly:run:0b6e2c4d", SessionKind.Cron)]
    [InlineData("cron:nightly", SessionKind.Cron)]
    [InlineData("agent:main:subagent:a514ee78", SessionKind.Subagent)]
    [InlineData("agent:main:subagent:a:subagent:b", SessionKind.Subagent)]
    [InlineData("agent:main:main:heartbeat", SessionKind.Heartbeat)]
    [InlineData("hook:4f1c", SessionKind.Unspecified)]
    [InlineData("node-7", SessionKind.Unspecified)]
    [InlineData("agent:main:acp:4f1c", SessionKind.Unspecified)]
    [InlineData("agent:main:explicit:model-run-4f1c", SessionKind.Unspecified)]
    [InlineData("agent:main:cron:a:b", SessionKind.Unspecified)]
    [InlineData("agent:main:subagent", SessionKind.User)] // a main key that happens to be named "subagent": no id follows
    [InlineData("agent:main:telegram:group:", SessionKind.Unspecified)]
    [InlineData("agent::main", SessionKind.Unspecified)]
    public void Kinds_are_decided_from_the_gateways_key_shapes_and_never_guessed(string key, SessionKind kind) =>
        Assert.Equal(kind, AgentFolderImport.InferKind(key));

    /// <summary>Every file's name, size and hash, and the folder's entries (a lock file created would show).</summary>
    internal static string Fingerprint(string folder) => string.Join("\n", Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal).Select(path =>
        $"{Path.GetFileName(path)} {(File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "dir")} {File.GetLastWriteTimeUtc(path):O}"));

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    /// <summary>The rows an import wrote for the agent, read with SQL (not the store's code): each key's kind column, each transcript's lines in order.</summary>
    private sealed record ImportedRows(Dictionary<string, string> Kinds, Dictionary<string, List<string>> Lines)
    {
        private const string KindsSql = "SELECT session_key, coalesce(kind, '') FROM sessions WHERE agent_id = {agent}";
        private const string LinesSql = "SELECT CAST(session_id AS text), line FROM transcript_events WHERE agent_id = {agent} ORDER BY session_id, seq";

        public static async Task<ImportedRows> ReadAsync(StoreAgent agent)
        {
            var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
            var lines = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            void AddLine(string id, string line)
            {
                if (!lines.TryGetValue(id, out var list))
                {
                    lines[id] = list = [];
                }

                list.Add(line);
            }

            switch (agent)
            {
                case SqliteStoreAgent sqlite:
                {
                    using var connection = sqlite.Connect(readOnly: true);
                    Sqlite(connection, KindsSql.Replace("{agent}", "$agent", StringComparison.Ordinal), sqlite.AgentId, (a, b) => kinds[a] = b);
                    Sqlite(connection, LinesSql.Replace("{agent}", "$agent", StringComparison.Ordinal), sqlite.AgentId, AddLine);
                    break;
                }

                case PostgresStoreAgent postgres:
                {
                    await using var connection = await postgres.ConnectAsync();
                    await PostgresAsync(connection, postgres.QuotedSchema, KindsSql.Replace("{agent}", "$1", StringComparison.Ordinal), postgres.AgentId, (a, b) => kinds[a] = b);
                    await PostgresAsync(connection, postgres.QuotedSchema, LinesSql.Replace("{agent}", "$1", StringComparison.Ordinal), postgres.AgentId, AddLine);
                    break;
                }

                default:
                    throw new NotSupportedException($"The {agent.Engine.Name} engine is not an import target.");
            }

            return new ImportedRows(kinds, lines);
        }

        private static void Sqlite(SqliteConnection connection, string sql, string agentId, Action<string, string> row)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$agent", agentId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                row(reader.GetString(0), reader.GetString(1));
            }
        }

        private static async Task PostgresAsync(NpgsqlConnection connection, string schema, string sql, string agentId, Action<string, string> row)
        {
            await using var command = new NpgsqlCommand(sql.Replace(" FROM sessions", $" FROM {schema}.sessions", StringComparison.Ordinal).Replace(" FROM transcript_events", $" FROM {schema}.transcript_events", StringComparison.Ordinal), connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = agentId });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                row(reader.GetString(0), reader.GetString(1));
            }
        }
    }

    private sealed class TranscriptComparer : IEqualityComparer<Transcript?>
    {
        public static readonly TranscriptComparer Instance = new();

        public bool Equals(Transcript? x, Transcript? y) =>
            x is not null && y is not null && x.Header == y.Header && x.Messages.SequenceEqual(y.Messages) && x.SkippedLines == y.SkippedLines;

        public int GetHashCode(Transcript? obj) => 0;
    }
}
