using Npgsql;

namespace SessionKinds.Tool.Import;

/// <summary>The engine an import writes to, as <c>--to</c> names it: <c>sqlite:&lt;path&gt;</c> or <c>postgres:&lt;connection string&gt;</c>.</summary>
internal abstract record ImportDestination
{
    public const string Syntax = "sqlite:<database file> or postgres:<Npgsql connection string>";

    /// <summary>Reads <c>--to</c>; <paramref name="problem"/> says what is wrong (a usage error) when it returns null.</summary>
    public static ImportDestination? Parse(string value, out string? problem)
    {
        problem = null;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? value : value[..colon];
        var rest = colon < 0 ? string.Empty : value[(colon + 1)..];
        switch (scheme.ToLowerInvariant())
        {
            case "sqlite":
                if (rest.Trim().Length == 0)
                {
                    problem = $"--to sqlite: needs the database file, e.g. --to sqlite:/var/lib/agents/sessions.db.";
                    return null;
                }

                return new SqliteDestination(Path.GetFullPath(rest));
            case "postgres" or "postgresql":
                if (rest.Trim().Length == 0)
                {
                    problem = "--to postgres: needs an Npgsql connection string, e.g. --to \"postgres:Host=db1;Database=gateway;Username=gateway\".";
                    return null;
                }

                try
                {
                    _ = new NpgsqlConnectionStringBuilder(rest);
                }
                catch (ArgumentException ex)
                {
                    problem = $"--to postgres: '{Redacted(rest)}' is not an Npgsql connection string ({ex.Message}). Use keywords such as Host=…;Port=…;Database=…;Username=…;Password=….";
                    return null;
                }

                return new PostgresDestination(rest);
            default:
                problem = $"--to '{value}' names no store engine: use {Syntax}.";
                return null;
        }
    }

    /// <summary>A connection string as messages may show it: the password replaced.</summary>
    public static string Redacted(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!string.IsNullOrEmpty(builder.Password))
            {
                builder.Password = "***";
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return connectionString.Contains("password", StringComparison.OrdinalIgnoreCase) ? "(a connection string with a password)" : connectionString;
        }
    }
}

/// <summary>A SQLite database file (<see cref="SqliteSessionStore"/>).</summary>
internal sealed record SqliteDestination(string DatabasePath) : ImportDestination;

/// <summary>A PostgreSQL server (<see cref="PostgresSessionStore"/>).</summary>
internal sealed record PostgresDestination(string ConnectionString) : ImportDestination;
