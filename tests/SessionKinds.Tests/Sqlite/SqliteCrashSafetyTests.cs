using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using SessionKinds.WriterProcess;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Sqlite;

/// <summary>
/// The crash-safety run of the SQLite engine: a writer child writes continuously to one database (user and subagent
/// sessions, heartbeat alerts and acks of a generated task and of the explicit kind, cron output and silent runs) and is
/// killed with SIGKILL at seeded moments, 120 times, on one database that is never reset.
/// </summary>
/// <remarks>
/// After every kill, an independent connection (not the store's code) opens the database as the kill left it and checks:
/// <c>PRAGMA integrity_check</c> says ok; every write the child reported (an <c>ok</c> line it finished printing) is there
/// whole: its entry with the reported session id, exactly its transcript lines, its ring entry (the ledger ring of 10,000
/// keeps every one; the explicit kind's ring of 50 holds exactly the newest 50 acks in order), its run record; the
/// heartbeat state's counts and last alert are what the landed writes add up to; and the write in flight at the kill
/// (<c>begin</c> without <c>ok</c>) landed whole or not at all, part by part. Then the write lock is free at once.
/// </remarks>
[Collection(ChildProcessCollection.Name)]
public sealed class SqliteCrashSafetyTests(ITestOutputHelper output)
{
    public const int Kills = 120;
    public const int Seed = 20_261_202;
    private const string LedgerOwner = "SessionKinds.WriterProcess.LedgerCheck";
    private const string ExplicitOwner = "SessionKind.Heartbeat";
    private const string LedgerRing = "heartbeat-ring-ledger.json";
    private const string ExplicitRing = "heartbeat-ring.json";

    [Fact]
    [Trait("Category", "Guarantees")]
    public async Task SIGKILLs_during_writes_leave_the_database_intact_lose_no_reported_write_and_apply_no_completion_by_half()
    {
        using var temp = new TempFolder();
        var agent = (SqliteStoreAgent)new SqliteStoreEngine().CreateAgent(temp.Root);
        var schedule = new Random(Seed);
        var model = new Model();
        var reportedCount = new Dictionary<string, int>(StringComparer.Ordinal);
        var corrupt = new List<string>();
        var lost = new List<string>();
        var halfApplied = new List<string>();
        var inFlight = (Landed: 0, NotLanded: 0);
        var killsBeforeFirstWrite = 0;
        var walLeft = 0;
        var clock = Stopwatch.StartNew();

        for (var kill = 0; kill < Kills; kill++)
        {
            // 10% of kills at a random moment from the start (runtime start-up, opening, schema creation, the first
            // write); the others after 1..30 reported writes plus up to 3 ms, so they land anywhere inside the next write.
            var childSeed = schedule.Next();
            var early = schedule.Next(10) == 0;
            var writesBeforeKill = early ? 1 : schedule.Next(1, 31);
            var delay = TimeSpan.FromMilliseconds(early ? schedule.Next(0, 200) : schedule.Next(0, 4));

            WriterExit exit;
            using (var child = RunningWriter.Start(WriterChild.Arguments("mixed", agent, "0", childSeed.ToString(CultureInfo.InvariantCulture), "cronRunsToKeep=1000000")))
            {
                var writes = child.WaitForLinesAsync(writesBeforeKill * 2);
                if (early)
                {
                    await Task.WhenAny(writes, Task.Delay(delay));
                }
                else
                {
                    await writes.WaitAsync(TimeSpan.FromSeconds(120));
                    Thread.Sleep(delay);
                }

                exit = await child.KillAsync(TimeSpan.FromSeconds(120));
            }

            Assert.True(exit.WasRunning, $"kill {kill}: the child exited on its own with {exit.ExitCode}: {exit.Error}");
            var (reported, begun) = Parse(exit.Lines, kill);
            foreach (var write in reported)
            {
                reportedCount[write.What] = reportedCount.GetValueOrDefault(write.What) + 1;
            }

            killsBeforeFirstWrite += reported.Count == 0 ? 1 : 0;
            if (!File.Exists(agent.DatabasePath))
            {
                continue;
            }

            walLeft += File.Exists(agent.DatabasePath + "-wal") ? 1 : 0;
            using (var connection = agent.Connect())
            {
                var integrity = Strings(connection, "PRAGMA integrity_check");
                if (integrity is not ["ok"])
                {
                    corrupt.Add($"kill {kill}: integrity_check: {string.Join("; ", integrity)}");
                    continue;
                }

                if (Strings(connection, "SELECT name FROM sqlite_schema WHERE name = 'schema_version'").Count == 0)
                {
                    Assert.Empty(model.Writes);
                    continue; // killed before the schema was created
                }

                var db = Database.Read(connection, agent.AgentId);
                model.Writes.AddRange(reported);
                if (begun is { } flying)
                {
                    var parts = model.PartsOf(flying, db);
                    if (parts.Values.All(landed => landed))
                    {
                        model.Writes.Add(flying);
                        inFlight.Landed++;
                    }
                    else if (parts.Values.Any(landed => landed))
                    {
                        halfApplied.Add($"kill {kill}: {flying.Tag} ({flying.What}) landed only in part: {string.Join(", ", parts.Select(p => $"{p.Key} {(p.Value ? "landed" : "missing")}"))}");
                        continue;
                    }
                    else
                    {
                        inFlight.NotLanded++;
                    }
                }

                lost.AddRange(model.FindMissing(db).Select(p => $"kill {kill}: {p}"));
            }

            // The killed writer's lock went with it.
            await using var free = await agent.TryHoldWriteLockNowAsync();
            Assert.True(free is not null, $"kill {kill}: the write lock of a killed writer was still held");
        }

        var problems = await agent.FindIntegrityProblemsAsync();
        var reportedTotal = reportedCount.Values.Sum();
        output.WriteLine($"SQLite crash safety (seed {Seed}): {Kills} SIGKILLs in {clock.Elapsed.TotalSeconds:F1} s on one database");
        output.WriteLine($"  writes reported complete before a kill: {reportedTotal} ({string.Join(", ", reportedCount.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))})");
        output.WriteLine($"  kills in the middle of a write: {inFlight.Landed + inFlight.NotLanded + halfApplied.Count} (landed whole: {inFlight.Landed}, not at all: {inFlight.NotLanded}, half-applied: {halfApplied.Count}); kills before the first write: {killsBeforeFirstWrite}; kills leaving a -wal file: {walLeft}");
        output.WriteLine($"  corrupt databases (integrity_check): {corrupt.Count}; lost reported writes: {lost.Count}; half-applied completions: {halfApplied.Count}; final integrity problems: {problems.Count}");

        Assert.True(corrupt.Count == 0, string.Join(Environment.NewLine, corrupt.Take(20)));
        Assert.True(lost.Count == 0, string.Join(Environment.NewLine, lost.Take(20)));
        Assert.True(halfApplied.Count == 0, string.Join(Environment.NewLine, halfApplied.Take(20)));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        // The run was meaningful: many writes of every kind, many kills inside a write, a ledger ring that never dropped one.
        Assert.True(reportedTotal >= 8 * Kills, $"only {reportedTotal} writes were reported");
        Assert.All(WriterReplies.What, what => Assert.True(reportedCount.GetValueOrDefault(what) > 0, $"no {what} write"));
        Assert.True(inFlight.Landed + inFlight.NotLanded >= Kills / 3, $"only {inFlight.Landed + inFlight.NotLanded} kills landed inside a write");
        Assert.True(model.Writes.Count(w => w.What is "ledger-ack" or "ledger-alert") < 10_000, "the ledger ring could have dropped entries");
    }

    private static (List<Write> Reported, Write? Begun) Parse(IReadOnlyList<string> lines, int kill)
    {
        var reported = new List<Write>();
        Write? begun = null;
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            if (parts is ["begin", var tag, var what, var key, var sessionId])
            {
                Assert.True(begun is null, $"kill {kill}: two writes begun at once");
                begun = new Write(tag, what, key, sessionId);
            }
            else if (parts is ["ok", _, var okKey, var okSession, var okTag, var okWhat])
            {
                Assert.True(begun is { } b && b.Tag == okTag, $"kill {kill}: ok without its begin: {line}");
                reported.Add(new Write(okTag, okWhat, okKey, okSession));
                begun = null;
            }
            else
            {
                Assert.Fail($"kill {kill}: unexpected line from the writer: {line}");
            }
        }

        return (reported, begun);
    }

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(reader.IsDBNull(0) ? "NULL" : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return result;
    }

    /// <summary>One write of the child: its tag, what it was, its key and the session id it reported.</summary>
    private sealed record Write(string Tag, string What, string Key, string SessionId)
    {
        public bool HasSession => What is "user" or "subagent" or "ledger-alert" or "cron-output";
    }

    /// <summary>The agent's rows as an independent reader sees them.</summary>
    private sealed class Database
    {
        public Dictionary<string, string> Entries { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<string>> Transcripts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<string>> RingSummaries { get; } = new(StringComparer.Ordinal);

        public List<string> RunSummaries { get; } = [];

        public Dictionary<string, (long Oks, string? LastAlertSummary)> State { get; } = new(StringComparer.Ordinal);

        public static Database Read(SqliteConnection connection, string agentId)
        {
            var db = new Database();
            foreach (var (key, entry) in Rows(connection, "SELECT session_key, entry FROM sessions WHERE agent_id = $a ORDER BY rowid", agentId))
            {
                using var json = JsonDocument.Parse(entry);
                db.Entries[key] = json.RootElement.GetProperty("sessionId").GetString()!;
            }

            foreach (var (id, line) in Rows(connection, "SELECT session_id, line FROM transcript_events WHERE agent_id = $a ORDER BY session_id, seq", agentId))
            {
                (db.Transcripts.TryGetValue(id, out var lines) ? lines : db.Transcripts[id] = []).Add(line);
            }

            foreach (var (ring, summary) in Rows(connection, "SELECT ring, summary FROM ring_entries WHERE agent_id = $a ORDER BY ring, seq", agentId))
            {
                (db.RingSummaries.TryGetValue(ring, out var list) ? list : db.RingSummaries[ring] = []).Add(summary);
            }

            db.RunSummaries.AddRange(Rows(connection, "SELECT task, summary FROM cron_runs WHERE agent_id = $a ORDER BY seq", agentId).Select(r => r.Second));
            using var state = connection.CreateCommand();
            state.CommandText = "SELECT task, consecutive_oks, last_alert_summary FROM heartbeat_state WHERE agent_id = $a";
            state.Parameters.AddWithValue("$a", agentId);
            using var reader = state.ExecuteReader();
            while (reader.Read())
            {
                db.State[reader.GetString(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }

            return db;
        }

        private static List<(string First, string Second)> Rows(SqliteConnection connection, string sql, string agentId)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$a", agentId);
            using var reader = command.ExecuteReader();
            var rows = new List<(string, string)>();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }

            return rows;
        }
    }

    /// <summary>Every write that landed, in order, and what the database must hold because of them.</summary>
    private sealed class Model
    {
        public List<Write> Writes { get; } = [];

        /// <summary>Whether each part of <paramref name="write"/> is in the database.</summary>
        public Dictionary<string, bool> PartsOf(Write write, Database db)
        {
            var parts = new Dictionary<string, bool>(StringComparer.Ordinal);
            if (write.HasSession)
            {
                parts["entry"] = db.Entries.TryGetValue(write.Key, out var id) && id == write.SessionId;
                parts["transcript"] = db.Transcripts.TryGetValue(write.SessionId, out var lines) && lines.Any(l => l.Contains($"\"{ReplyOf(write)}\"", StringComparison.Ordinal));
            }

            switch (write.What)
            {
                case "ledger-alert":
                    parts["ring"] = Ring(db, LedgerRing).Contains(WriterReplies.Alert(write.Tag));
                    parts["state"] = db.State.TryGetValue(LedgerOwner, out var ledger) && ledger.LastAlertSummary == WriterReplies.Alert(write.Tag);
                    break;
                case "ledger-ack":
                    parts["ring"] = Ring(db, LedgerRing).Contains(write.Tag);
                    break;
                case "explicit-ack":
                    parts["ring"] = Ring(db, ExplicitRing).Contains(write.Tag);
                    break;
                case "cron-output":
                    parts["run"] = db.RunSummaries.Contains(WriterReplies.CronOutput(write.Tag));
                    break;
                case "cron-silent":
                    parts["run"] = db.RunSummaries.Count(s => s == WriterReplies.CronSilent) > Writes.Count(w => w.What == "cron-silent");
                    break;
            }

            return parts;
        }

        /// <summary>What the landed writes require that the database lacks.</summary>
        public List<string> FindMissing(Database db)
        {
            var missing = new List<string>();
            foreach (var write in Writes)
            {
                if (write.HasSession)
                {
                    if (!db.Entries.TryGetValue(write.Key, out var id) || id != write.SessionId)
                    {
                        missing.Add($"{write.Tag} ({write.What}): no entry {write.Key} with session {write.SessionId}");
                    }

                    var expected = new[] { WriterReplies.Prompt(write.Tag), ReplyOf(write) };
                    var lines = db.Transcripts.GetValueOrDefault(write.SessionId) ?? [];
                    var messages = lines.Skip(1).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("content").GetString()).ToList();
                    if (lines.Count != 3 || !lines[0].Contains("\"type\":\"session\"", StringComparison.Ordinal) || !messages.SequenceEqual(expected))
                    {
                        missing.Add($"{write.Tag} ({write.What}): transcript is [{string.Join(" | ", lines)}]");
                    }
                }

                if (write.What is "ledger-ack" or "ledger-alert" && !Ring(db, LedgerRing).Contains(write.What == "ledger-ack" ? write.Tag : WriterReplies.Alert(write.Tag)))
                {
                    missing.Add($"{write.Tag} ({write.What}): not in the ledger ring");
                }

                if (write.What == "cron-output" && !db.RunSummaries.Contains(WriterReplies.CronOutput(write.Tag)))
                {
                    missing.Add($"{write.Tag}: no run record");
                }
            }

            // The ledger ring holds every ledger write in order; the explicit ring the newest 50 explicit acks in order.
            var ledger = Writes.Where(w => w.What is "ledger-ack" or "ledger-alert").Select(w => w.What == "ledger-ack" ? w.Tag : WriterReplies.Alert(w.Tag)).ToList();
            if (!Ring(db, LedgerRing).SequenceEqual(ledger))
            {
                missing.Add($"the ledger ring holds {Ring(db, LedgerRing).Count} entries, not the {ledger.Count} landed ones in order");
            }

            var explicitAcks = Writes.Where(w => w.What == "explicit-ack").Select(w => w.Tag).TakeLast(50).ToList();
            if (!Ring(db, ExplicitRing).SequenceEqual(explicitAcks))
            {
                missing.Add($"the explicit ring holds [{string.Join(", ", Ring(db, ExplicitRing).TakeLast(3))}…], not the newest {explicitAcks.Count} explicit acks");
            }

            var silent = Writes.Count(w => w.What == "cron-silent");
            if (db.RunSummaries.Count(s => s == WriterReplies.CronSilent) != silent)
            {
                missing.Add($"{db.RunSummaries.Count(s => s == WriterReplies.CronSilent)} silent runs recorded, {silent} landed");
            }

            // The heartbeat state: OKs since the last alert, agent-wide and per task, and the last alert's summary.
            var heartbeats = Writes.Where(w => w.What is "ledger-ack" or "ledger-alert" or "explicit-ack").ToList();
            var lastAlert = heartbeats.FindLastIndex(w => w.What == "ledger-alert");
            var agentWide = db.State.GetValueOrDefault("");
            var ledgerState = db.State.GetValueOrDefault(LedgerOwner);
            var ledgerWrites = heartbeats.Where(w => w.What != "explicit-ack").ToList();
            var expectAgentWide = (Oks: (long)(heartbeats.Count - lastAlert - 1), Alert: lastAlert < 0 ? null : WriterReplies.Alert(heartbeats[lastAlert].Tag));
            if (heartbeats.Count > 0 && (agentWide.Oks, agentWide.LastAlertSummary) != expectAgentWide)
            {
                missing.Add($"agent-wide heartbeat state is {agentWide}, expected {expectAgentWide}");
            }

            if (ledgerWrites.Count > 0 && ledgerState.Oks != ledgerWrites.Count - ledgerWrites.FindLastIndex(w => w.What == "ledger-alert") - 1)
            {
                missing.Add($"the ledger task's consecutive OKs are {ledgerState.Oks}");
            }

            var explicitCount = heartbeats.Count(w => w.What == "explicit-ack");
            if (explicitCount > 0 && db.State.GetValueOrDefault(ExplicitOwner).Oks != explicitCount)
            {
                missing.Add($"the explicit kind's consecutive OKs are {db.State.GetValueOrDefault(ExplicitOwner).Oks}, not {explicitCount}");
            }

            return missing;
        }

        private static List<string> Ring(Database db, string ring) => db.RingSummaries.GetValueOrDefault(ring) ?? [];

        private static string ReplyOf(Write write) => write.What switch
        {
            "ledger-alert" => WriterReplies.Alert(write.Tag),
            "cron-output" => WriterReplies.CronOutput(write.Tag),
            _ => WriterReplies.Conversation(write.Tag),
        };
    }
}
