using SessionKinds.Persistence.Import;

namespace SessionKinds;

/// <summary>
/// Imports an existing agent folder (a <see cref="FileSessionStore"/> folder, or one the gateway wrote) into a database
/// store, for one agent, in one transaction, with a dry run and a report. The folder is only read: no file in it is
/// written, created (not even a lock file), renamed or deleted.
/// </summary>
/// <remarks>
/// <para>What is read, and how:</para>
/// <list type="bullet">
/// <item><c>sessions.json</c>: every entry, its JSON exactly as in the file (every field kept, unknown ones included). The
/// entry's kind is its <c>kind</c> field when that names a kind; otherwise it is decided from the key by
/// <see cref="InferKind"/> (gateway stores carry no <c>kind</c>), and an entry whose key shape names no kind has none. The
/// entry's JSON is not changed: the decided kind goes to the database's kind column only.</item>
/// <item>Transcripts: for each entry, the file its <c>sessionFile</c> field names (a file in the folder) or
/// <c>&lt;sessionId&gt;.jsonl</c>, imported under the entry's session id when that is a UUID; other <c>&lt;uuid&gt;.jsonl</c>
/// files are imported under their own id. Every line that is one JSON object is kept exactly, SessionKinds lines and
/// gateway (session format v3) lines alike; blank lines are dropped, and lines that are not JSON (a line torn by a crash)
/// are skipped and reported.</item>
/// <item><c>heartbeat-state.json</c>, heartbeat ring files (any other <c>*.json</c> with an <c>entries</c> array) and
/// <c>cron-runs.json</c>: their figures, entries and runs as the file store reads them (its repair rules apply).</item>
/// <item>Skipped, with the reason in the report: archives (<c>sessions-*.json.gz</c>, <c>*.bak.*</c>, <c>*.reset.*</c>,
/// <c>*.deleted.*</c>), occurrence claims (they are leases of running hosts), lock, temp and moved-aside files, and
/// anything else.</item>
/// </list>
/// <para>The target must hold nothing for its agent yet (a second import is refused rather than merged). A dry run does
/// everything but commit, so it reports what would be written and whether the target accepts it.</para>
/// </remarks>
public static class AgentFolderImport
{
    /// <summary>Reads <paramref name="agentFolder"/> (without writing anything to it) into what an import would write, with its report.</summary>
    /// <exception cref="ArgumentException"><paramref name="agentFolder"/> is empty.</exception>
    /// <exception cref="SessionStoreException">The folder or its <c>sessions.json</c> cannot be read; the message names the file.</exception>
    public static ValueTask<AgentFolderContent> ReadAsync(string agentFolder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentFolder);
        return new(AgentFolderReader.Read(Path.TrimEndingDirectorySeparator(Path.GetFullPath(agentFolder)), cancellationToken));
    }

    /// <summary>
    /// Reads <paramref name="agentFolder"/> and writes it into <paramref name="target"/> in one transaction (or, with
    /// <paramref name="dryRun"/>, does everything but commit). Returns the report: counts and bytes per kind of thing, and
    /// what was skipped and why.
    /// </summary>
    /// <exception cref="SessionStoreException">The folder cannot be read, or the target refused the import (e.g. its agent already holds data); nothing was written.</exception>
    public static async ValueTask<AgentImportReport> ImportAsync(string agentFolder, IAgentImportTarget target, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var content = await ReadAsync(agentFolder, cancellationToken).ConfigureAwait(false);
        await target.ImportAsync(content, dryRun, cancellationToken).ConfigureAwait(false);
        return content.Report.Completed(target.ImportDestination, dryRun);
    }

    /// <summary>
    /// The kind a gateway session key names, or <see cref="SessionKind.Unspecified"/> when its shape names none. Keys are
    /// <c>agent:&lt;agentId&gt;:&lt;rest&gt;</c> (or bare <c>global</c> and <c>cron:…</c>); by the rest:
    /// <c>cron:&lt;job&gt;</c> and <c>cron:&lt;job&gt;:run:&lt;runId&gt;</c> → cron; a <c>subagent</c> segment followed by an id
    /// (<c>subagent:&lt;uuid&gt;</c>, nested too) → subagent; <c>heartbeat</c> or a <c>:heartbeat</c> suffix (the isolated
    /// heartbeat session) → heartbeat; the main key (one segment, e.g. <c>main</c>), <c>global</c>, direct chats
    /// (<c>dm:&lt;peer&gt;</c>, <c>&lt;channel&gt;:dm:&lt;peer&gt;</c>, <c>&lt;channel&gt;:&lt;account&gt;:dm:&lt;peer&gt;</c>), groups
    /// and rooms (<c>&lt;channel&gt;:group:&lt;id&gt;</c>, <c>&lt;channel&gt;:channel:&lt;id&gt;</c>), each possibly followed by
    /// <c>:topic:&lt;id&gt;</c> or <c>:thread:&lt;id&gt;</c> → user. Anything else (<c>hook:</c>, <c>node-</c>, <c>acp:</c>,
    /// model-run probes, unknown shapes) names no kind: it is never guessed.
    /// </summary>
    public static SessionKind InferKind(string sessionKey)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        return GatewayKeyShapes.Infer(sessionKey);
    }
}

/// <summary>
/// A store that an agent folder can be imported into (the database engines). <see cref="AgentFolderImport.ImportAsync"/>
/// reads the folder and calls <see cref="ImportAsync"/>; an engine implements only that and <see cref="ImportDestination"/>.
/// </summary>
public interface IAgentImportTarget
{
    /// <summary>Where an import writes, for the report, e.g. <c>SQLite database /var/lib/agents/sessions.db, agent main</c>.</summary>
    string ImportDestination { get; }

    /// <summary>
    /// Writes <paramref name="content"/> for this store's agent in one transaction: every entry (its JSON exactly, its
    /// <see cref="ImportedSessionEntry.Kind"/> as the kind), every transcript line in order, the heartbeat state, every ring
    /// with its owner and size, every cron run in order. With <paramref name="dryRun"/> it does the same and rolls back.
    /// </summary>
    /// <exception cref="SessionStoreException">The agent already holds data (nothing is merged), or the write failed; nothing was written.</exception>
    ValueTask ImportAsync(AgentFolderContent content, bool dryRun, CancellationToken cancellationToken);
}
