using System.Text;

namespace SessionKinds.PostgreSql;

/// <summary>
/// The transaction-level advisory locks that serialize writers across nodes. Every key is a 64-bit FNV-1a hash of the
/// schema, the agent and what is locked, so stores of different schemas or agents never wait for each other (a hash
/// collision only makes two writers take turns; it never lets two hold the same thing).
/// </summary>
/// <remarks>
/// A commit takes them in one order — the agent gate (shared), the session key, the transcript, then (after the heartbeat
/// state's row locks) the ring, the cron task, the task's claims — so two commits never wait for each other in a cycle.
/// </remarks>
internal static class AdvisoryLocks
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>Schema creation and migration (one node at a time).</summary>
    public static long Migration(string schema) => Key("migrate", schema, string.Empty, string.Empty);

    /// <summary>
    /// The agent's gate: every write takes it shared, so writes of different sessions run side by side; a tool that must
    /// see no writer (a backup, the tests' "hold the write lock") takes it exclusive.
    /// </summary>
    public static long AgentGate(string schema, string agentId) => Key("agent", schema, agentId, string.Empty);

    /// <summary>One session key: its entry is read, merged and written by one writer at a time.</summary>
    public static long SessionKey(string schema, string agentId, string key) => Key("session", schema, agentId, key);

    /// <summary>One transcript (two keys naming the same session id still append one at a time).</summary>
    public static long Transcript(string schema, string agentId, string sessionId) => Key("transcript", schema, agentId, sessionId);

    /// <summary>One heartbeat ring: its owner check, append and bound.</summary>
    public static long Ring(string schema, string agentId, string ring) => Key("ring", schema, agentId, ring);

    /// <summary>One cron task's run record: its append and bound.</summary>
    public static long CronTask(string schema, string agentId, string task) => Key("cron", schema, agentId, task);

    /// <summary>One task's occurrence claims: claiming, renewing, taking over and marking done.</summary>
    public static long Claims(string schema, string agentId, string task) => Key("claims", schema, agentId, task);

    private static long Key(string what, string schema, string agentId, string name)
    {
        var hash = Offset;
        foreach (var part in (ReadOnlySpan<string>)[what, schema, agentId, name])
        {
            foreach (var b in Encoding.UTF8.GetBytes(part))
            {
                hash = (hash ^ b) * Prime;
            }

            hash = (hash ^ 0x1F) * Prime; // a separator no part can end with, so ("ab", "c") ≠ ("a", "bc")
        }

        return unchecked((long)hash);
    }
}
