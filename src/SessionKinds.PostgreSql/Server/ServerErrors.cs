using System.Net.Sockets;
using Npgsql;

namespace SessionKinds.PostgreSql;

/// <summary>
/// Turns what Npgsql and the server report into a <see cref="SessionStoreException"/> that names the server
/// (<c>host:port/database</c>, never the password), says what went wrong, and what to check.
/// </summary>
internal static class ServerErrors
{
    /// <summary>Whether <paramref name="exception"/> is a failure of the server or the connection that this class describes.</summary>
    public static bool IsServerFailure(Exception exception) =>
        exception is NpgsqlException or TimeoutException || (exception is InvalidOperationException && exception.InnerException is NpgsqlException);

    /// <summary>The store's error for a failure while <paramref name="doing"/>; nothing was written (the transaction, if any, rolled back).</summary>
    public static SessionStoreException Describe(ServerAddress server, string doing, Exception exception)
    {
        var nothingWritten = doing.StartsWith("reading", StringComparison.Ordinal) ? string.Empty : " Nothing was written.";
        return new SessionStoreException(server.Location, Message(server, doing, exception) + nothingWritten, exception);
    }

    private static string Message(ServerAddress server, string doing, Exception exception)
    {
        var at = $"the PostgreSQL server {server.Server}";
        if (Find<PostgresException>(exception) is { } pg)
        {
            var what = $"{pg.MessageText} (SQLSTATE {pg.SqlState})";
            return pg.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword =>
                    $"Could not log in to {at} while {doing}: {what}. Check Username and Password in the connection string (user \"{server.User}\"; the password is not shown).",
                PostgresErrorCodes.InvalidAuthorizationSpecification =>
                    $"{Capital(at)} does not let user \"{server.User}\" connect to database \"{server.Database}\" from here while {doing}: {what}. Check the user name and the server's pg_hba.conf.",
                PostgresErrorCodes.InvalidCatalogName =>
                    $"{Capital(at)} has no database \"{server.Database}\" ({doing}): {what}. Create it (CREATE DATABASE) or fix Database in the connection string.",
                PostgresErrorCodes.InsufficientPrivilege =>
                    $"User \"{server.User}\" lacks a privilege on {at} while {doing}: {what}. The first store to open a schema creates it and its tables: grant CREATE on the database, or have an administrator open it once; afterwards the user needs USAGE on schema \"{server.Schema}\" and SELECT, INSERT, UPDATE, DELETE on its tables.",
                PostgresErrorCodes.TooManyConnections =>
                    $"{Capital(at)} refused a connection while {doing}: {what}. Raise max_connections, or lower Maximum Pool Size in the connection strings of the nodes sharing it.",
                PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown =>
                    $"{Capital(at)} is starting up or shutting down ({doing}): {what}. Retry once it is up.",
                PostgresErrorCodes.DiskFull =>
                    $"{Capital(at)} is out of disk space while {doing}: {what}. Free space on the server.",
                _ => $"{Capital(at)} reported an error while {doing}: {what}.",
            };
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused =>
                    $"Could not connect to {at} while {doing}: the connection was refused. Check that the server is running and listens on that host and port (listen_addresses and port in postgresql.conf), and that Host and Port in the connection string are right.",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain =>
                    $"Could not connect to {at} while {doing}: the host name could not be resolved ({socket.Message}). Check Host in the connection string.",
                SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable =>
                    $"Could not reach {at} while {doing}: {socket.Message}. Check the host, the network and any firewall between this node and the server.",
                _ => $"The connection to {at} failed while {doing}: {socket.Message}. Check that the server is up and reachable from this node.",
            };
        }

        if (Find<TimeoutException>(exception) is not null)
        {
            return $"Timed out talking to {at} while {doing}: {exception.Message}. Check that the server is up and not overloaded; Timeout and Command Timeout in the connection string bound the waits.";
        }

        if (exception is NpgsqlException { IsTransient: true } || Find<IOException>(exception) is not null || Find<EndOfStreamException>(exception) is not null)
        {
            return $"The connection to {at} was lost while {doing}: {exception.Message}. A transaction whose connection drops is rolled back by the server. Check the server's log and the network, then retry.";
        }

        return $"{Capital(at)} could not be used while {doing}: {exception.Message}.";
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
