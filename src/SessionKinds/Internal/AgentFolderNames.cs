namespace SessionKinds.Internal;

/// <summary>The names of the files in an agent folder, and the rules that keep keys, ids and file names from becoming paths.</summary>
internal static class AgentFolderNames
{
    public const string Sessions = "sessions.json";
    public const string HeartbeatState = "heartbeat-state.json";
    public const string Lock = ".sessionkinds.lock";
    public const string LockOwner = ".sessionkinds.lock.owner";
    public const string LockWait = ".sessionkinds.lock.wait";
    public const string TempSuffix = ".sktmp";
    public const string TranscriptExtension = ".jsonl";

    /// <summary>The longest session key accepted, in UTF-16 characters.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>The longest ring file name accepted, in UTF-16 characters.</summary>
    public const int MaxFileNameLength = 128;

    private static readonly string[] ReservedDeviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
    ];

    public static string TranscriptFileName(string sessionId) => sessionId + TranscriptExtension;

    /// <summary>Throws <see cref="ArgumentException"/> naming the key and the rule when <paramref name="key"/> is not a valid session key.</summary>
    public static void ValidateSessionKey(string? key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        var problem = FindKeyProblem(key);
        if (problem is not null)
        {
            throw new ArgumentException(
                $"Session key \"{Printable(key)}\" is not valid: {problem}. Nothing was written. " +
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

        return FindPathProblem(key, allowColon: true);
    }

    /// <summary>Why <paramref name="name"/> is not a plain file name for the agent folder, or <see langword="null"/>.</summary>
    public static string? FindFileNameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxFileNameLength)
        {
            return $"it has {name.Length} characters, more than the limit of {MaxFileNameLength}";
        }

        if (name != name.Trim())
        {
            return "it starts or ends with white space";
        }

        if (name == ".")
        {
            return "it is '.'";
        }

        var problem = FindPathProblem(name, allowColon: false);
        if (problem is not null)
        {
            return problem;
        }

        if (IsReservedStoreFile(name))
        {
            return $"it is a file the store itself uses ({name})";
        }

        return name.EndsWith(TranscriptExtension, StringComparison.OrdinalIgnoreCase) || name.EndsWith(TempSuffix, StringComparison.OrdinalIgnoreCase)
            ? "it has an extension the store uses for its own files (.jsonl, .sktmp)"
            : null;
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
                $"Session id \"{Printable(sessionId)}\" is not a UUID such as \"3f2b8c1e-0000-4000-8000-000000000000\"; " +
                "session ids name transcript files, so nothing else is accepted.",
                paramName);
        }
    }

    private static bool IsReservedStoreFile(string name) =>
        name.Equals(Sessions, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeartbeatState, StringComparison.OrdinalIgnoreCase)
        || name.Equals(Lock, StringComparison.OrdinalIgnoreCase)
        || name.Equals(LockOwner, StringComparison.OrdinalIgnoreCase)
        || name.Equals(LockWait, StringComparison.OrdinalIgnoreCase)
        || (name.StartsWith("sessions-", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
        || name.Contains(".corrupt-", StringComparison.OrdinalIgnoreCase);

    private static string? FindPathProblem(string text, bool allowColon)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '/' or '\\')
            {
                return "it contains a path separator ('/' or '\\')";
            }

            if (c == '\0')
            {
                return "it contains a NUL character";
            }

            if (char.IsControl(c))
            {
                return $"it contains the control character U+{(int)c:X4}";
            }

            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1])))
            {
                return "it contains an unpaired surrogate (invalid UTF-16)";
            }

            if (!allowColon && c is ':' or '*' or '?' or '"' or '<' or '>' or '|')
            {
                return $"it contains '{c}', which is not allowed in file names";
            }
        }

        if (text.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'";
        }

        if (text.Length >= 2 && char.IsAsciiLetter(text[0]) && text[1] == ':' && text.Length == 2)
        {
            return "it is a drive-relative path";
        }

        var baseName = text;
        var cut = baseName.IndexOfAny(['.', ':']);
        if (cut >= 0)
        {
            baseName = baseName[..cut];
        }

        baseName = baseName.TrimEnd(' ');
        foreach (var reserved in ReservedDeviceNames)
        {
            if (baseName.Equals(reserved, StringComparison.OrdinalIgnoreCase))
            {
                return $"'{reserved}' is a reserved device name on Windows";
            }
        }

        return null;
    }

    /// <summary>A key or id safe to print in an error message: shortened, control characters escaped.</summary>
    public static string Printable(string text)
    {
        const int max = 80;
        var shown = text.Length > max ? text[..max] : text;
        var builder = new System.Text.StringBuilder(shown.Length + 8);
        foreach (var c in shown)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        if (text.Length > max)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"… ({text.Length} characters)");
        }

        return builder.ToString();
    }
}
