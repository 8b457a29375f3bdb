using SessionKinds.Sqlite.Storage;
using SessionKinds.Engines;

namespace SessionKinds.Sqlite.Rows;

/// <summary>
/// The <c>cron_runs</c> rows: numbered per agent in the order they were recorded; an append inserts one run and deletes its
/// task's runs older than the newest <see cref="CronRunAppend.RunsToKeep"/>, so a frequent task never pushes another out.
/// </summary>
internal static class CronRuns
{
    public static void Append(SqliteSession session, string agentId, CronRunAppend append)
    {
        var run = append.Run;
        session.Command("""
            INSERT INTO cron_runs (agent_id, seq, task, ts, verdict, summary, duration_ms, max_entries)
            VALUES ($agent, coalesce((SELECT max(seq) FROM cron_runs WHERE agent_id = $agent), 0) + 1, $task, $ts, $verdict, $summary, $duration, $max)
            """)
            .With("$agent", agentId).With("$task", run.Task).With("$ts", run.Timestamp.ToUnixTimeSeconds()).With("$verdict", SqliteSessionStore.VerdictName(run.Verdict))
            .With("$summary", run.Summary).With("$duration", (long)run.Duration.TotalMilliseconds).With("$max", append.RunsToKeep)
            .ExecuteNonQuery();
        session.Command("""
            DELETE FROM cron_runs WHERE agent_id = $agent AND task = $task AND seq <= coalesce(
                (SELECT seq FROM cron_runs WHERE agent_id = $agent AND task = $task ORDER BY seq DESC LIMIT 1 OFFSET $keep), 0)
            """)
            .With("$agent", agentId).With("$task", run.Task).With("$keep", append.RunsToKeep)
            .ExecuteNonQuery();
    }
}
