using Microsoft.Data.Sqlite;

namespace SessionKinds.Sqlite.Storage;

/// <summary>Turns SQLite's errors into <see cref="SessionStoreException"/>s that name the database file and say what to do.</summary>
internal static class SqliteErrors
{
    // Primary result codes (https://sqlite.org/rescode.html).
    public const int Busy = 5;
    public const int Locked = 6;
    public const int ReadOnly = 8;
    public const int IoError = 10;
    public const int Corrupt = 11;
    public const int Full = 13;
    public const int CantOpen = 14;
    public const int TooBig = 18;
    public const int NotADatabase = 26;

    /// <summary>A store error for <paramref name="error"/> met while doing <paramref name="what"/>.</summary>
    public static SessionStoreException Wrap(string databasePath, string what, SqliteException error, bool nothingWritten = true) =>
        new(databasePath, Describe(databasePath, what, error.SqliteErrorCode, error.Message, nothingWritten), error);

    public static string Describe(string databasePath, string what, int code, string sqliteMessage, bool nothingWritten)
    {
        var advice = (code & 0xFF) switch
        {
            Busy or Locked => "Another writer kept the database busy; retry, or raise SqliteSessionStoreOptions.BusyTimeout.",
            ReadOnly => "The database or its folder is read-only for this process: check the permissions of the file, of the -wal and -shm files beside it, and of the folder.",
            IoError => "The disk reported an I/O error: check the disk and the file system.",
            Corrupt or NotADatabase => "The file is damaged or is not a SQLite database: restore it from a backup, or recover what is readable with `sqlite3 <file> .recover`.",
            Full => "The disk is full: free space on it, then retry.",
            CantOpen => "Check that the folder exists and that this process may create and write files in it.",
            TooBig => "A value is larger than SQLite's limit (1 GB by default): store less in one reply.",
            _ => "Check the database file and the disk.",
        };
        return $"{what} failed on the SQLite database {databasePath}: {sqliteMessage.TrimEnd('.')}. {advice}{(nothingWritten ? " Nothing was written." : string.Empty)}";
    }
}
