using Npgsql;
using NpgsqlTypes;

namespace SessionKinds.PostgreSql;

/// <summary>
/// Statements sent to the server in one round trip (an <see cref="NpgsqlBatch"/>), remembering which of them return rows
/// so their results can be read by the index <see cref="Query"/> returned.
/// </summary>
internal sealed class CommandBatch : IAsyncDisposable
{
    private readonly NpgsqlBatch _batch;
    private readonly List<int> _resultSets = [];

    public CommandBatch(NpgsqlConnection connection, NpgsqlTransaction? transaction, int timeoutSeconds)
    {
        _batch = new NpgsqlBatch(connection, transaction) { Timeout = timeoutSeconds };
    }

    /// <summary>Whether no statement was added.</summary>
    public bool IsEmpty => _batch.BatchCommands.Count == 0;

    /// <summary>Adds a statement that returns no rows.</summary>
    public void Statement(string sql, params NpgsqlParameter[] parameters) => Add(sql, parameters);

    /// <summary>Adds a statement that returns rows; the result is the index to read them with.</summary>
    public int Query(string sql, params NpgsqlParameter[] parameters)
    {
        Add(sql, parameters);
        _resultSets.Add(_batch.BatchCommands.Count - 1);
        return _resultSets.Count - 1;
    }

    /// <summary>Runs the batch; <paramref name="read"/> is called once per query, in order, positioned on its result set.</summary>
    public async Task ExecuteAsync(Func<int, NpgsqlDataReader, Task>? read, CancellationToken cancellationToken)
    {
        await using var reader = await _batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < _resultSets.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"The server returned {i} result sets, not {_resultSets.Count}.");
            }

            if (read is not null)
            {
                await read(i, reader).ConfigureAwait(false);
            }
        }

        // Statements after the last query (and their errors) are consumed here.
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
        }
    }

    public ValueTask DisposeAsync() => _batch.DisposeAsync();

    public static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter TextArray(string[] value) => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = value };

    public static NpgsqlParameter Integer(int value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = value };

    public static NpgsqlParameter BigInt(long value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value };

    public static NpgsqlParameter Uuid(Guid value) => new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = value };

    /// <summary>A point in time, stored to the microsecond (the store only writes whole milliseconds or seconds).</summary>
    public static NpgsqlParameter Time(DateTimeOffset? value) => new()
    {
        NpgsqlDbType = NpgsqlDbType.TimestampTz,
        Value = value is { } v ? v.ToUniversalTime() : DBNull.Value,
    };

    private void Add(string sql, NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        _batch.BatchCommands.Add(command);
    }
}
