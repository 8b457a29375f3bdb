using Microsoft.Data.Sqlite;

namespace SessionKinds.Sqlite.Storage;

internal static class CommandExtensions
{
    /// <summary>Sets a parameter of a reused command (added the first time); <see langword="null"/> binds SQL NULL.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        if (parameters.Contains(name))
        {
            parameters[name].Value = value ?? DBNull.Value;
        }
        else
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static long? GetInt64OrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
