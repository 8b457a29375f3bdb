namespace SessionKinds;

/// <summary>
/// The rules that keep session keys and file names from becoming paths, and the valid heartbeat settings.
/// The runtime, the generator and the analyzer (SKND0006) all compile this file, so a <c>RingFile</c> or
/// <c>RingSize</c> accepted at compile time is accepted at run time.
/// </summary>
internal static class AgentFileNameRules
{
    public const string Sessions = "sessions.json";
    public const string HeartbeatState = "heartbeat-state.json";
    public const string CronRuns = "cron-runs.json";
    public const string OccurrenceClaims = "schedule-claims.json";
    public const string CommitJournal = ".sessionkinds.commit";
    public const string Lock = ".sessionkinds.lock";
    public const string LockOwner = ".sessionkinds.lock.owner";
    public const string LockWait = ".sessionkinds.lock.wait";
    public const string TempSuffix = ".sktmp";
    public const string TranscriptExtension = ".jsonl";

    /// <summary>The longest ring file name accepted, in UTF-16 characters.</summary>
    public const int MaxFileNameLength = 128;

    public const int DefaultRingSize = 50;
    public const int DefaultAckMaxChars = 300;
    public const string DefaultRingFile = "heartbeat-ring.json";

    public const int MinRingSize = 1;
    public const int MaxRingSize = 10000;
    public const int MinAckMaxChars = 0;

    private static readonly string[] ReservedDeviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
    ];

    /// <summary>Why the heartbeat settings are invalid, or <see langword="null"/> when they are valid.</summary>
    public static string? FindHeartbeatSettingsProblem(int ringSize, int ackMaxChars, string? ringFile)
    {
        if (ringSize < MinRingSize || ringSize > MaxRingSize)
        {
            return $"RingSize {ringSize} is not in {MinRingSize}..{MaxRingSize}";
        }

        if (ackMaxChars < MinAckMaxChars)
        {
            return $"AckMaxChars {ackMaxChars} is negative";
        }

        var fileProblem = FindFileNameProblem(ringFile);
        return fileProblem is null ? null : $"RingFile \"{Printable(ringFile ?? string.Empty)}\" is not a plain file name in the agent folder: {fileProblem}";
    }

    /// <summary>
    /// The ring file name suggested for a heartbeat task wherever one is needed (SKND0006, SKND0008, the ownership error):
    /// the task's simple name in kebab case, <c>InboxCheck</c> or <c>MyAgent.InboxCheck</c> → <c>inbox-check-ring.json</c>.
    /// </summary>
    public static string SuggestRingFile(string taskName)
    {
        var cut = taskName.LastIndexOfAny(['.', '+']);
        var name = cut >= 0 ? taskName.Substring(cut + 1) : taskName;
        var builder = new System.Text.StringBuilder(name.Length + 12);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var startsWord = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (startsWord && builder.Length > 0 && builder[builder.Length - 1] != '-')
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '-')
            {
                builder.Append('-');
            }
        }

        var stem = builder.ToString().Trim('-');
        return (stem.Length == 0 ? "heartbeat" : stem) + "-ring.json";
    }

    /// <summary>A key or file name safe to print in an error message: shortened, control characters and lone surrogates escaped.</summary>
    public static string Printable(string text)
    {
        const int max = 80;
        var shown = text.Length > max ? text.Substring(0, max) : text;
        var builder = new System.Text.StringBuilder(shown.Length + 8);
        foreach (var c in shown)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (text.Length > max)
        {
            builder.Append("… (").Append(text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" characters)");
        }

        return builder.ToString();
    }

    /// <summary>Why <paramref name="name"/> is not a plain file name of the caller's own in the agent folder, or <see langword="null"/>.</summary>
    public static string? FindFileNameProblem(string? name)
    {
        if (name is null || name.Trim().Length == 0)
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

        return EndsWithIgnoringCase(name, TranscriptExtension) || EndsWithIgnoringCase(name, TempSuffix)
            ? "it has an extension the store uses for its own files (.jsonl, .sktmp)"
            : null;
    }

    /// <summary>
    /// Why <paramref name="text"/> could escape or misname a path (separators, <c>..</c>, control characters, unpaired
    /// surrogates, Windows device names and, unless <paramref name="allowColon"/>, characters invalid in file names).
    /// </summary>
    public static string? FindPathProblem(string text, bool allowColon)
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

        if (text.IndexOf("..", System.StringComparison.Ordinal) >= 0)
        {
            return "it contains '..'";
        }

        if (text.Length == 2 && ((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z')) && text[1] == ':')
        {
            return "it is a drive-relative path";
        }

        var baseName = text;
        var cut = baseName.IndexOfAny(['.', ':']);
        if (cut >= 0)
        {
            baseName = baseName.Substring(0, cut);
        }

        baseName = baseName.TrimEnd(' ');
        foreach (var reserved in ReservedDeviceNames)
        {
            if (string.Equals(baseName, reserved, System.StringComparison.OrdinalIgnoreCase))
            {
                return $"'{reserved}' is a reserved device name on Windows";
            }
        }

        return null;
    }

    private static bool IsReservedStoreFile(string name) =>
        EqualsIgnoringCase(name, Sessions)
        || EqualsIgnoringCase(name, HeartbeatState)
        || EqualsIgnoringCase(name, CronRuns)
        || EqualsIgnoringCase(name, OccurrenceClaims)
        || EqualsIgnoringCase(name, CommitJournal)
        || EqualsIgnoringCase(name, Lock)
        || EqualsIgnoringCase(name, LockOwner)
        || EqualsIgnoringCase(name, LockWait)
        || (name.StartsWith("sessions-", System.StringComparison.OrdinalIgnoreCase) && EndsWithIgnoringCase(name, ".json.gz"))
        || name.IndexOf(".corrupt-", System.StringComparison.OrdinalIgnoreCase) >= 0;

    private static bool EqualsIgnoringCase(string a, string b) => string.Equals(a, b, System.StringComparison.OrdinalIgnoreCase);

    private static bool EndsWithIgnoringCase(string text, string suffix) => text.EndsWith(suffix, System.StringComparison.OrdinalIgnoreCase);
}
