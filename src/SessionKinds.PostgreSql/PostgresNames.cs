using System.Text;

namespace SessionKinds.PostgreSql;

/// <summary>
/// What may be stored in the database's text columns and used as a schema name. PostgreSQL text cannot hold U+0000, so
/// names with it are refused and display text (summaries) stores it as U+FFFD; JSON (entries, transcript lines) keeps it
/// as the escape <c>\u0000</c>, byte for byte.
/// </summary>
internal static class PostgresNames
{
    /// <summary>PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes.</summary>
    public const int MaxIdentifierBytes = 63;

    /// <summary>Why <paramref name="schema"/> cannot name the store's schema, or <see langword="null"/>.</summary>
    public static string? FindIdentifierProblem(string? schema)
    {
        if (string.IsNullOrWhiteSpace(schema))
        {
            return "it is empty";
        }

        if (Encoding.UTF8.GetByteCount(schema) > MaxIdentifierBytes)
        {
            return $"it is longer than PostgreSQL's {MaxIdentifierBytes} bytes for a name";
        }

        if (HasControlOrLoneSurrogate(schema))
        {
            return "it contains a control character or a lone surrogate";
        }

        return schema.StartsWith("pg_", StringComparison.OrdinalIgnoreCase) ? "names starting with pg_ are reserved by PostgreSQL" : null;
    }

    /// <summary>Why <paramref name="name"/> (an agent id, a task or claimant name) cannot be stored, or <see langword="null"/>.</summary>
    public static string? FindNameProblem(string? name, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "it is empty";
        }

        if (name.Length > maxLength)
        {
            return $"it has {name.Length} characters, more than the limit of {maxLength}";
        }

        return HasControlOrLoneSurrogate(name) ? "it contains a control character or a lone surrogate (PostgreSQL text cannot hold U+0000)" : null;
    }

    /// <summary>Whether a text column can hold <paramref name="text"/>: no U+0000 and no lone surrogate (which UTF-8 cannot encode).</summary>
    public static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><paramref name="identifier"/> as a quoted SQL identifier.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Display text (a summary) as a text column can hold it: U+0000 becomes U+FFFD, the character the store already puts
    /// in place of a lone surrogate. Everything else is kept.
    /// </summary>
    public static string DisplayText(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;

    private static bool HasControlOrLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return true;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
