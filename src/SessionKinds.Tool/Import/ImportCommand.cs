using System.Globalization;
using Npgsql;
using Spectre.Console;
using SessionKinds.Tool.Cli;
using SessionKinds.Tool.Store;

namespace SessionKinds.Tool.Import;

/// <summary>Options of <c>sessionkinds import</c>.</summary>
internal sealed record ImportOptions(string Folder, ImportDestination To, string? Agent, string? Schema, bool DryRun);

/// <summary>
/// <c>sessionkinds import</c>: reads an agent folder (only reading: nothing in it is written, not even a lock file) with
/// <see cref="AgentFolderImport"/>, then writes it into a SQLite or PostgreSQL store for one agent in one transaction, or
/// with <c>--dry-run</c> does everything but commit. The folder is read before the destination is opened, so a folder that
/// cannot be read leaves the destination untouched.
/// </summary>
/// <remarks>
/// A dry run writes nothing at the destination either: into a SQLite file that does not exist yet it runs against a
/// temporary file (deleted afterwards), and into a PostgreSQL schema that does not exist yet against a temporary schema
/// (dropped afterwards), so it still proves that the engine accepts every row.
/// </remarks>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(ImportOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var location = StoreLocation.Resolve(options.Folder);
        if (!string.Equals(Path.GetFileName(location.SessionsPath), StoreLocation.SessionsFileName, StringComparison.Ordinal))
        {
            throw new InputException(
                $"{location.SessionsPath} is not an agent folder's sessions.json. import reads a whole agent folder (sessions.json, transcripts, heartbeat files); pass that folder.");
        }

        var agentId = options.Agent ?? DefaultAgentId(location.Folder);
        AgentFolderContent content;
        try
        {
            content = await AgentFolderImport.ReadAsync(location.Folder, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreException ex)
        {
            throw new InputException(ex.Message);
        }

        await using var target = await OpenAsync(options, agentId, cancellationToken).ConfigureAwait(false);
        try
        {
            await target.Import.ImportAsync(content, options.DryRun, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreException ex)
        {
            // The engines say what to change in their options; on the command line that is --agent or --to.
            var hint = ex.Message.Contains("already holds", StringComparison.Ordinal) ? " With sessionkinds import: pass --agent <another id>, or another --to." : string.Empty;
            throw new InputException(ex.Message + hint);
        }

        // Plain text, unwrapped: the report's lines name files and reasons that scripts and people copy.
        var output = console.Profile.Out.Writer;
        await output.WriteAsync(content.Report.ToString()).ConfigureAwait(false);
        await output.WriteLineAsync(Summary(content, target.Destination, options.DryRun)).ConfigureAwait(false);
        return SessionKindsCli.Success;
    }

    /// <summary>
    /// The agent id when <c>--agent</c> is not given: the folder's name, or for the gateway's layout
    /// (<c>agents/&lt;agentId&gt;/sessions</c>) the name of the folder holding <c>sessions</c>.
    /// </summary>
    public static string DefaultAgentId(string folder)
    {
        var name = Path.GetFileName(folder);
        if (name == "sessions" && Path.GetFileName(Path.GetDirectoryName(folder)) is { Length: > 0 } parent)
        {
            return parent;
        }

        return name.Length > 0 ? name : SqliteSessionStoreOptions.DefaultAgentId;
    }

    private static string Summary(AgentFolderContent content, string destination, bool dryRun)
    {
        var report = content.Report;
        var what = string.Create(
            CultureInfo.InvariantCulture,
            $"{report.CountOf("session entries"):N0} entries, {report.CountOf("transcripts"):N0} transcripts ({report.CountOf("transcript lines"):N0} lines), " +
            $"{report.CountOf("ring entries"):N0} ring entries and {report.CountOf("cron runs"):N0} cron runs");
        return dryRun
            ? $"Dry run: nothing written. Would import {what} into {destination}; run without --dry-run to import."
            : $"Imported {what} into {destination}.";
    }

    private static async Task<Target> OpenAsync(ImportOptions options, string agentId, CancellationToken cancellationToken)
    {
        try
        {
            return options.To switch
            {
                SqliteDestination sqlite => OpenSqlite(sqlite, agentId, options.DryRun),
                PostgresDestination postgres => await OpenPostgresAsync(postgres, options.Schema ?? PostgresSessionStoreOptions.DefaultSchema, agentId, options.DryRun, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException("unknown destination"),
            };
        }
        catch (ArgumentException ex) when (ex.ParamName == "options")
        {
            var hint = options.Agent is null && ex.Message.Contains("AgentId", StringComparison.Ordinal)
                ? $" The agent id \"{agentId}\" comes from the folder's name: pass --agent <id>."
                : string.Empty;
            throw new InputException(ex.Message + hint + " Nothing was imported.");
        }
        catch (SessionStoreException ex)
        {
            throw new InputException(ex.Message.Contains("nothing was", StringComparison.OrdinalIgnoreCase) ? ex.Message : ex.Message + " Nothing was imported.");
        }
    }

    private static Target OpenSqlite(SqliteDestination destination, string agentId, bool dryRun)
    {
        var path = destination.DatabasePath;
        if (Directory.Exists(path))
        {
            throw new InputException($"--to sqlite:{path} is a folder; give the database file, e.g. --to sqlite:{Path.Combine(path, "sessions.db")}. Nothing was imported.");
        }

        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            throw new InputException($"The folder {folder} of the database file {path} does not exist. Create it, or give another --to sqlite:<file>. Nothing was imported.");
        }

        if (dryRun && !File.Exists(path))
        {
            // A new database: rehearse in a temporary file, so the dry run creates nothing at the destination.
            var rehearsal = Path.Combine(Path.GetTempPath(), $"sessionkinds-import-dry-run-{Guid.NewGuid():N}.db");
            var temporary = new SqliteSessionStore(new SqliteSessionStoreOptions { DatabasePath = rehearsal, AgentId = agentId });
            return new Target(temporary, $"SQLite database {path} (a new file), agent {agentId}", () =>
            {
                foreach (var file in new[] { rehearsal, rehearsal + "-wal", rehearsal + "-shm", rehearsal + "-journal" })
                {
                    File.Delete(file);
                }

                return ValueTask.CompletedTask;
            });
        }

        var store = new SqliteSessionStore(new SqliteSessionStoreOptions { DatabasePath = path, AgentId = agentId });
        return new Target(store, store.ImportDestination, null);
    }

    private static async Task<Target> OpenPostgresAsync(PostgresDestination destination, string schema, string agentId, bool dryRun, CancellationToken cancellationToken)
    {
        var options = new PostgresSessionStoreOptions { ConnectionString = destination.ConnectionString, Schema = schema, AgentId = agentId };
        if (!dryRun || await SchemaExistsAsync(destination.ConnectionString, schema, cancellationToken).ConfigureAwait(false) is not false)
        {
            var store = await PostgresSessionStore.OpenAsync(options, cancellationToken).ConfigureAwait(false);
            return new Target(store, store.ImportDestination, null);
        }

        // A new schema: rehearse in a temporary one, dropped afterwards, so the dry run creates nothing on the server.
        options.Schema = $"sessionkinds_dry_run_{Guid.NewGuid():N}";
        var rehearsal = await PostgresSessionStore.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        var shown = $"PostgreSQL server {rehearsal.Server}, schema \"{schema}\" (a new schema), agent {agentId}";
        return new Target(rehearsal, shown, async () =>
        {
            await using var connection = new NpgsqlConnection(destination.ConnectionString);
            await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{options.Schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        });
    }

    /// <summary>Whether the store's schema exists on the server, or <see langword="null"/> when that cannot be asked (opening the store then says why).</summary>
    private static async Task<bool?> SchemaExistsAsync(string connectionString, string schema, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", connection);
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
            return await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The opened store, how the report names it, and what to clean up after a rehearsal.</summary>
    private sealed class Target(SessionStore store, string destination, Func<ValueTask>? cleanUp) : IAsyncDisposable
    {
        public IAgentImportTarget Import => (IAgentImportTarget)store;

        public string Destination => destination;

        public async ValueTask DisposeAsync()
        {
            await store.DisposeAsync().ConfigureAwait(false);
            if (cleanUp is not null)
            {
                await cleanUp().ConfigureAwait(false);
            }
        }
    }
}
