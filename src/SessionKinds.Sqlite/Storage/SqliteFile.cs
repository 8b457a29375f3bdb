using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SessionKinds.Sqlite.Storage;

/// <summary>Where the database file is, and what is checked and set up when a store opens it.</summary>
internal static class SqliteFile
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The database file's full path and the connection string the store uses (its own pooling off, timeouts set).</summary>
    /// <exception cref="ArgumentException">The connection string names no file (in memory, read-only, or no data source).</exception>
    public static (string Path, string ConnectionString) Resolve(SqliteSessionStoreOptions options)
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString ?? string.Empty);
        if (options.DatabasePath is { } path)
        {
            builder.DataSource = path;
        }

        var source = builder.DataSource;
        if (string.IsNullOrWhiteSpace(source) || source.Trim() == ":memory:" || builder.Mode == SqliteOpenMode.Memory || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The SQLite data source \"{source}\" is not a database file. SessionKinds.Sqlite needs a file (write-ahead logging cannot work in memory): " +
                "set SqliteSessionStoreOptions.DatabasePath to e.g. /var/lib/agents/sessions.db.",
                "options");
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            throw new ArgumentException("The SQLite connection string opens the database read-only (Mode=ReadOnly); a store writes. Remove the Mode setting.", "options");
        }

        var full = System.IO.Path.GetFullPath(source);
        builder.DataSource = full;
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Pooling = false;
        builder.Cache = SqliteCacheMode.Private;
        builder.DefaultTimeout = (int)Math.Clamp(Math.Ceiling(options.BusyTimeout.TotalSeconds), 1, int.MaxValue);
        return (full, builder.ConnectionString);
    }

    /// <summary>
    /// Refuses a network file system, creates the folder and file owner-only when missing, switches the file to
    /// write-ahead logging and verifies it, and creates or migrates the schema.
    /// </summary>
    public static void Prepare(SqliteDatabase database)
    {
        var path = database.Path;
        if (NetworkFileSystems.Detect(path) is { } network)
        {
            throw new SessionStoreException(
                path,
                $"The SQLite database {path} is on a network file system ({network}). SQLite's locks and write-ahead logging do not work reliably there, " +
                "and the database could be corrupted. Put the database on a local disk; for several gateway nodes sharing sessions, use a PostgreSQL store.");
        }

        CreateOwnerOnly(path);
        using var session = database.Open();
        try
        {
            var mode = Scalar(session, "PRAGMA journal_mode = WAL");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new SessionStoreException(
                    path,
                    $"The SQLite database {path} could not be switched to write-ahead logging (its journal mode stays \"{mode}\"). " +
                    "SessionKinds.Sqlite needs WAL so that readers never wait for writers and a completion commits with one sync: " +
                    "use a file on a local disk that this process can write, with its -wal and -shm files beside it.");
            }

            if (SqliteSchema.ReadVersion(session.Connection, path) != SqliteSchema.CurrentVersion)
            {
                Migrate(session, path);
            }
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(path, "Opening", ex);
        }
    }

    private static void Migrate(SqliteSession session, string path)
    {
        // Opening is synchronous (a constructor): wait for another writer with SQLite's own busy handler.
        session.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
        try
        {
            SqliteSchema.EnsureCurrent(session.Connection, path);
            session.Execute("COMMIT");
        }
        catch
        {
            session.RollbackQuietly();
            throw;
        }
    }

    private static void CreateOwnerOnly(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        try
        {
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, OwnerOnlyFolder);
                }
            }

            if (!File.Exists(path))
            {
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = OwnerOnlyFile;
                }

                using var _ = new FileStream(path, create);
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another store created it at the same moment.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SessionStoreException(path, $"Could not create the SQLite database {path}: {ex.Message} Check that the folder exists or can be created, and that this process may write in it.", ex);
        }
    }

    private static string? Scalar(SqliteSession session, string sql)
    {
        using var command = session.Connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
