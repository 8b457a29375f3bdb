using SessionKinds.Sqlite.Storage;
using SessionKinds.Engines;

namespace SessionKinds.Sqlite.Rows;

/// <summary>
/// The <c>ring_entries</c> rows of one ring: numbered from 1, each recording its writer (the owner) and the ring size it
/// wrote with. The newest row says who owns the ring; a ring whose newest row has no owner (imported without one) is adopted
/// by the next writer. An append inserts one row and deletes those that fell out of the newest <c>RingSize</c>.
/// </summary>
internal static class Rings
{
    /// <summary>The ring's newest sequence number (0 when empty), after checking that <see cref="HeartbeatRingAppend.Owner"/> may write it.</summary>
    /// <exception cref="HeartbeatRingOwnershipException">The newest row names another owner.</exception>
    public static long LoadTail(SqliteSession session, string agentId, HeartbeatRingAppend append, string location)
    {
        using var reader = session.Command("SELECT seq, owner FROM ring_entries WHERE agent_id = $agent AND ring = $ring ORDER BY seq DESC LIMIT 1")
            .With("$agent", agentId).With("$ring", append.RingFile).ExecuteReader();
        if (!reader.Read())
        {
            return 0;
        }

        var owner = reader.GetStringOrNull(1);
        if (owner is not null && owner != append.Owner)
        {
            throw new HeartbeatRingOwnershipException(location, owner, append.Owner);
        }

        return reader.GetInt64(0);
    }

    public static void Append(SqliteSession session, string agentId, HeartbeatRingAppend append, long tail)
    {
        var seq = tail + 1;
        var entry = append.Entry;
        session.Command("""
            INSERT INTO ring_entries (agent_id, ring, seq, owner, max_entries, ts, result, summary) VALUES ($agent, $ring, $seq, $owner, $max, $ts, $result, $summary)
            """)
            .With("$agent", agentId).With("$ring", append.RingFile).With("$seq", seq).With("$owner", append.Owner).With("$max", append.RingSize)
            .With("$ts", entry.Timestamp.ToUnixTimeSeconds()).With("$result", entry.Result == HeartbeatResult.Ok ? "ok" : "alert").With("$summary", entry.Summary)
            .ExecuteNonQuery();
        session.Command("DELETE FROM ring_entries WHERE agent_id = $agent AND ring = $ring AND seq <= $oldest")
            .With("$agent", agentId).With("$ring", append.RingFile).With("$oldest", seq - append.RingSize)
            .ExecuteNonQuery();
    }
}
