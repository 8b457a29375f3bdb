using System.Globalization;
using Npgsql;

namespace SessionKinds.PostgreSql;

/// <summary>
/// The server a store talks to, as errors name it: <c>host:port/database</c> and the user, taken from the connection
/// string. The password is never part of it.
/// </summary>
internal sealed class ServerAddress
{
    public ServerAddress(NpgsqlConnectionStringBuilder builder, string schema, string agentId)
    {
        var host = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host;
        var port = builder.Port.ToString(CultureInfo.InvariantCulture);
        User = string.IsNullOrEmpty(builder.Username) ? Environment.UserName : builder.Username;
        Database = string.IsNullOrEmpty(builder.Database) ? User : builder.Database;

        // A unix socket folder or a list of hosts is shown as given, with the one port.
        Server = $"{host}:{port}/{Database}";
        Schema = schema;
        AgentId = agentId;
        Location = $"postgresql://{Server} (schema \"{schema}\", agent \"{AgentFileNameRules.Printable(agentId)}\")";
    }

    /// <summary><c>host:port/database</c>.</summary>
    public string Server { get; }

    /// <summary>The database name.</summary>
    public string Database { get; }

    /// <summary>The user the store logs in as.</summary>
    public string User { get; }

    /// <summary>The store's schema.</summary>
    public string Schema { get; }

    /// <summary>The store's agent.</summary>
    public string AgentId { get; }

    /// <summary>What <see cref="SessionStoreException.Location"/> says for this store.</summary>
    public string Location { get; }

    /// <inheritdoc />
    public override string ToString() => Server;
}
