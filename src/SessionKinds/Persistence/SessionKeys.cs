namespace SessionKinds;

/// <summary>
/// The session key and id rules every engine applies before anything is written: keys never become paths and ids are
/// UUIDs (an agent folder names transcripts after them). File-name and path rules: <see cref="AgentFileNameRules"/>.
/// </summary>
internal static class SessionKeys
{
    /// <summary>The longest session key accepted, in UTF-16 characters.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>Throws <see cref="ArgumentException"/> naming the key and the rule when <paramref name="key"/> is not a valid session key.</summary>
    public static void ValidateSessionKey(string? key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        var problem = FindKeyProblem(key);
        if (problem is not null)
        {
            throw new ArgumentException(
                $"Session key \"{AgentFileNameRules.Printable(key)}\" is not valid: {problem}. Nothing was written. " +
                "Use a non-empty key without path separators, '..' or control characters, e.g. \"agent:main:main\".",
                paramName);
        }
    }

    /// <summary>Why <paramref name="key"/> is not a valid session key, or <see langword="null"/> when it is.</summary>
    public static string? FindKeyProblem(string key)
    {
        if (key.Length == 0 || string.IsNullOrWhiteSpace(key))
        {
            return "it is empty";
        }

        if (key.Length > MaxKeyLength)
        {
            return $"it has {key.Length} characters, more than the limit of {MaxKeyLength}";
        }

        return AgentFileNameRules.FindPathProblem(key, allowColon: true);
    }

    /// <summary>Whether <paramref name="id"/> is a UUID in the 8-4-4-4-12 hexadecimal form, safe to use as a file name.</summary>
    public static bool IsCanonicalSessionId(string? id)
    {
        if (id is null || id.Length != 36)
        {
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            var ok = i is 8 or 13 or 18 or 23 ? c == '-' : char.IsAsciiHexDigit(c);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="sessionId"/> is not a canonical UUID.</summary>
    public static void ValidateSessionId(string? sessionId, string paramName)
    {
        ArgumentNullException.ThrowIfNull(sessionId, paramName);
        if (!IsCanonicalSessionId(sessionId))
        {
            throw new ArgumentException(
                $"Session id \"{AgentFileNameRules.Printable(sessionId)}\" is not a UUID such as \"3f2b8c1e-0000-4000-8000-000000000000\"; " +
                "session ids name transcript files, so nothing else is accepted.",
                paramName);
        }
    }
}
