using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SessionKinds.Sqlite.Storage;

/// <summary>
/// One database file as a store uses it: opening connections with the store's settings (WAL checked, busy timeout,
/// synchronous commits), a small pool of reading connections, and write transactions (<see cref="BeginWriteAsync"/>): an
/// in-process gate per file, then <c>BEGIN IMMEDIATE</c> retried asynchronously while another process writes.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    // Writers of one file in this process queue here (fairly, asynchronously), so they do not poll SQLite's lock.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly int _busyMilliseconds;
    private readonly ConcurrentBag<SqliteSession> _readers = [];
    private readonly SemaphoreSlim _gate;
    private SqliteSession? _writer;
    private int _disposed;

    public SqliteDatabase(string path, string connectionString, TimeSpan busyTimeout)
    {
        Path = path;
        _connectionString = connectionString;
        BusyTimeout = busyTimeout;
        _busyMilliseconds = (int)Math.Clamp(busyTimeout.TotalMilliseconds, 1, int.MaxValue);
        _gate = Gates.GetOrAdd(path, static _ => new SemaphoreSlim(1, 1));
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    public TimeSpan BusyTimeout { get; }

    /// <summary>Runs before each part of a commit is written, with the part's table name (tests make a step fail or kill the process there).</summary>
    internal static readonly AsyncLocal<Action<string>?> BeforeStep = new();

    /// <summary>Opens a new connection with the store's settings: busy timeout, synchronous commits, no untrusted schema code.</summary>
    public SqliteSession Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            var session = new SqliteSession(connection, _busyMilliseconds);
            session.Execute(string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {_busyMilliseconds}; PRAGMA synchronous = FULL; PRAGMA trusted_schema = OFF; PRAGMA foreign_keys = ON;"));
            return session;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw SqliteErrors.Wrap(Path, "Opening", ex);
        }
    }

    /// <summary>A connection for reading, returned to the pool when disposed.</summary>
    public ReadLease Read()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return new ReadLease(this, _readers.TryTake(out var session) ? session : Open());
    }

    /// <summary>
    /// Starts a write transaction: waits (asynchronously, honouring <paramref name="cancellationToken"/>) for the other
    /// writers of this file in this process, then takes SQLite's write lock with <c>BEGIN IMMEDIATE</c>, retrying while
    /// another process holds it, until <see cref="BusyTimeout"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting; nothing was written.</exception>
    /// <exception cref="SessionStoreException">Still busy after the timeout, or the database failed.</exception>
    public async ValueTask<WriteTransaction> BeginWriteAsync(string what, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var started = Stopwatch.StartNew();
        if (!await _gate.WaitAsync(BusyTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw BusyTimedOut(what, "another writer of this store's process");
        }

        try
        {
            _writer ??= Open();
            await BeginImmediateAsync(_writer, what, started, cancellationToken).ConfigureAwait(false);
            return new WriteTransaction(this, _writer, what);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>Takes the write lock of <paramref name="session"/> with <c>BEGIN IMMEDIATE</c>, polling asynchronously while busy.</summary>
    internal async ValueTask BeginImmediateAsync(SqliteSession session, string what, Stopwatch started, CancellationToken cancellationToken)
    {
        var delay = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rc = session.TryBeginImmediate();
            if (rc == raw.SQLITE_OK)
            {
                return;
            }

            if ((rc & 0xFF) is not (SqliteErrors.Busy or SqliteErrors.Locked))
            {
                throw new SessionStoreException(Path, SqliteErrors.Describe(Path, what, rc, session.ErrorMessage(), nothingWritten: true));
            }

            if (started.Elapsed >= BusyTimeout)
            {
                throw BusyTimedOut(what, "another process (or another connection) writing to it");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 25);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writer?.Dispose();
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private SessionStoreException BusyTimedOut(string what, string holder) => new(
        Path,
        string.Create(CultureInfo.InvariantCulture,
            $"{what} timed out after {BusyTimeout.TotalSeconds:0.###} s waiting for the write lock of the SQLite database {Path}, held by {holder}. ") +
        "Retry, raise SqliteSessionStoreOptions.BusyTimeout, or find the process that keeps a write transaction open (SQLite releases its lock when that process exits). Nothing was written.");

    private void Return(SqliteSession session)
    {
        if (Volatile.Read(ref _disposed) != 0 || session.Broken)
        {
            session.Dispose();
            return;
        }

        _readers.Add(session);
        if (Volatile.Read(ref _disposed) != 0 && _readers.TryTake(out var late))
        {
            late.Dispose();
        }
    }

    private void EndWrite() => _gate.Release();

    /// <summary>A pooled reading connection.</summary>
    internal readonly struct ReadLease(SqliteDatabase database, SqliteSession session) : IDisposable
    {
        public SqliteSession Session => session;

        public void Dispose() => database.Return(session);
    }

    /// <summary>
    /// An open write transaction. <see cref="Commit"/> ends it; disposing without committing rolls it back. Either way the
    /// in-process gate is released.
    /// </summary>
    internal sealed class WriteTransaction(SqliteDatabase database, SqliteSession session, string what) : IDisposable
    {
        private bool _ended;

        public SqliteSession Session => session;

        /// <summary>Runs the test hook for a commit step (the part's table), when one is set.</summary>
        public static void Step(string table) => BeforeStep.Value?.Invoke(table);

        /// <summary>
        /// Commits. A failure while SQLite still holds the transaction open means nothing was written (it is rolled back);
        /// a failure after SQLite ended it (an I/O error while the commit was being written and synced) may or may not
        /// have landed: <see cref="SessionStoreCommitUnconfirmedException"/>.
        /// </summary>
        public void Commit()
        {
            _ended = true;
            var rc = session.ExecuteRaw("COMMIT");
            if (rc == raw.SQLITE_OK)
            {
                return;
            }

            var message = session.ErrorMessage();
            if (!session.InAutocommit)
            {
                session.RollbackQuietly();
                throw new SessionStoreException(database.Path, SqliteErrors.Describe(database.Path, what, rc, message, nothingWritten: true));
            }

            session.Broken = true;
            throw new SessionStoreCommitUnconfirmedException(
                database.Path,
                $"{what} reached its commit on the SQLite database {database.Path}, but SQLite reported {message} ({rc}) while committing, so it may or may not have landed. " +
                "The session counts as completed (it is never written twice): read the store to see what landed, and check the disk.");
        }

        public void Dispose()
        {
            if (!_ended)
            {
                session.RollbackQuietly();
            }

            if (session.Broken)
            {
                database._writer = null;
                session.Dispose();
            }

            database.EndWrite();
        }
    }
}

/// <summary>One open connection with its prepared commands (reused while the connection lives).</summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private readonly int _busyMilliseconds;

    public SqliteSession(SqliteConnection connection, int busyMilliseconds)
    {
        Connection = connection;
        _busyMilliseconds = busyMilliseconds;
    }

    public SqliteConnection Connection { get; }

    /// <summary>Set when the connection's state is unknown (a failed commit); it is closed instead of reused.</summary>
    public bool Broken { get; set; }

    public bool InAutocommit => raw.sqlite3_get_autocommit(Connection.Handle) != 0;

    /// <summary>A prepared command for <paramref name="sql"/>, reused; its parameters keep their last values until set.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        return command;
    }

    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="sql"/> through SQLite directly (no retries): its result code.</summary>
    public int ExecuteRaw(string sql) => raw.sqlite3_exec(Connection.Handle, sql);

    /// <summary>One attempt at <c>BEGIN IMMEDIATE</c> without waiting: SQLITE_OK, or SQLITE_BUSY while another connection writes.</summary>
    public int TryBeginImmediate()
    {
        var handle = Connection.Handle;
        raw.sqlite3_busy_timeout(handle, 0);
        try
        {
            return raw.sqlite3_exec(handle, "BEGIN IMMEDIATE");
        }
        finally
        {
            // Back to the connection's busy timeout for the statements of the transaction (set again from the pragma).
            raw.sqlite3_busy_timeout(handle, _busyMilliseconds);
        }
    }

    public string ErrorMessage() => raw.sqlite3_errmsg(Connection.Handle).utf8_to_string() ?? "an unknown error";

    public void RollbackQuietly()
    {
        if (!InAutocommit)
        {
            raw.sqlite3_exec(Connection.Handle, "ROLLBACK");
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}
