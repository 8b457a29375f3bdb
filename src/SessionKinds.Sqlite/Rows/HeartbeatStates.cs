using SessionKinds.Sqlite.Storage;
using SessionKinds.Engines;

namespace SessionKinds.Sqlite.Rows;

/// <summary>
/// The <c>heartbeat_state</c> rows: per task, and agent-wide under the task <c>''</c>. An ack sets the last ack and counts
/// one more consecutive OK (saturating at 2147483647); an alert sets the last alert and its summary and resets the count.
/// Two rows per heartbeat, whatever the store holds.
/// </summary>
internal static class HeartbeatStates
{
    public static void Apply(SqliteSession session, string agentId, HeartbeatStateUpdate update)
    {
        var command = update.IsAck
            ? session.Command("""
                INSERT INTO heartbeat_state (agent_id, task, last_ack, consecutive_oks) VALUES ($agent, '', $at, 1), ($agent, $task, $at, 1)
                ON CONFLICT (agent_id, task) DO UPDATE SET last_ack = excluded.last_ack, consecutive_oks = min(consecutive_oks + 1, 2147483647)
                """)
            : session.Command("""
                INSERT INTO heartbeat_state (agent_id, task, consecutive_oks, last_alert, last_alert_summary) VALUES ($agent, '', 0, $at, $summary), ($agent, $task, 0, $at, $summary)
                ON CONFLICT (agent_id, task) DO UPDATE SET consecutive_oks = 0, last_alert = excluded.last_alert, last_alert_summary = excluded.last_alert_summary
                """).With("$summary", update.AlertSummary ?? string.Empty);
        command.With("$agent", agentId).With("$task", update.Task).With("$at", update.At.ToUnixTimeMilliseconds()).ExecuteNonQuery();
    }
}
