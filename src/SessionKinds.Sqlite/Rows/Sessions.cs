using System.Text;
using SessionKinds.Sqlite.Storage;
using SessionKinds.Engines;

namespace SessionKinds.Sqlite.Rows;

/// <summary>The <c>sessions</c> and <c>transcript_events</c> rows of a completion.</summary>
internal static class Sessions
{
    /// <summary>
    /// Creates or continues the key's entry: an existing entry with a UUID <c>sessionId</c> continues its session, every
    /// other field kept byte for byte; otherwise the proposed session id starts one. Returns the session id and whether it continued.
    /// </summary>
    public static (string SessionId, bool Continued) Write(SqliteSession session, string agentId, SessionWrite write)
    {
        var existing = session.Command("SELECT entry FROM sessions WHERE agent_id = $agent AND session_key = $key")
            .With("$agent", agentId).With("$key", write.Key).ExecuteScalar() as string;
        var existingBytes = existing is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(existing);
        var continuedId = existing is null ? null : SessionWrite.ExistingSessionId(existingBytes);
        var sessionId = continuedId ?? write.ProposedSessionId;
        var entry = Encoding.UTF8.GetString(write.CreateEntry(existingBytes, sessionId));
        Upsert(session, agentId, write.Key, sessionId, write.KindName, write.UpdatedAt.ToUnixTimeMilliseconds(), entry);
        return (sessionId, continuedId is not null);
    }

    /// <summary>Stores an entry row; <paramref name="kind"/> and the others are the entry's, for the index.</summary>
    public static void Upsert(SqliteSession session, string agentId, string key, string? sessionId, string? kind, long? updatedAt, string entry) =>
        session.Command("""
            INSERT INTO sessions (agent_id, session_key, session_id, kind, updated_at, entry) VALUES ($agent, $key, $id, $kind, $updated, $entry)
            ON CONFLICT (agent_id, session_key) DO UPDATE SET session_id = excluded.session_id, kind = excluded.kind, updated_at = excluded.updated_at, entry = excluded.entry
            """)
            .With("$agent", agentId).With("$key", key).With("$id", sessionId).With("$kind", kind).With("$updated", updatedAt).With("$entry", entry)
            .ExecuteNonQuery();

    /// <summary>Appends the completion's lines, after a header line when the session has none yet.</summary>
    public static void AppendTranscript(SqliteSession session, string agentId, SessionWrite write, string sessionId)
    {
        var last = session.Command("SELECT max(seq) FROM transcript_events WHERE agent_id = $agent AND session_id = $id")
            .With("$agent", agentId).With("$id", sessionId).ExecuteScalar();
        var seq = last is long l ? l : 0;
        var insert = session.Command("INSERT INTO transcript_events (agent_id, session_id, seq, line) VALUES ($agent, $id, $seq, $line)")
            .With("$agent", agentId).With("$id", sessionId);
        if (seq == 0)
        {
            insert.With("$seq", ++seq).With("$line", Encoding.UTF8.GetString(write.CreateHeaderLine(sessionId))).ExecuteNonQuery();
        }

        foreach (var line in write.MessageLines)
        {
            insert.With("$seq", ++seq).With("$line", Encoding.UTF8.GetString(line.Span)).ExecuteNonQuery();
        }
    }
}
