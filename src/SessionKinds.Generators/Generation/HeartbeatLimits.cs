namespace SessionKinds.Generators.Generation;

/// <summary>
/// The valid heartbeat settings (DESIGN §7, SKND0006: ring size, ack limit and a plain ring file name,
/// the same rules as the analyzer's) and the attribute's defaults, for when the referenced runtime does
/// not expose them as constants. The generator skips a task outside these limits; the analyzer reports it.
/// </summary>
internal static class HeartbeatLimits
{
    public const int MinRingSize = 1;
    public const int MaxRingSize = 10000;
    public const int MinAckMaxChars = 0;

    public const int DefaultRingSize = 50;
    public const int DefaultAckMaxChars = 300;
    public const string DefaultRingFile = "heartbeat-ring.json";

    /// <summary>Characters a ring file name cannot contain: it is a plain file name inside the agent folder on every OS.</summary>
    private static readonly char[] InvalidRingFileChars = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

    public static bool IsValid(int ringSize, int ackMaxChars, string ringFile) =>
        ringSize >= MinRingSize && ringSize <= MaxRingSize && ackMaxChars >= MinAckMaxChars && IsValidRingFile(ringFile);

    /// <summary>A plain file name: not blank, not <c>.</c> or <c>..</c>, no separator, drive, wildcard or control character.</summary>
    public static bool IsValidRingFile(string ringFile)
    {
        var trimmed = ringFile.Trim();
        if (trimmed.Length == 0 || trimmed is "." or ".." || ringFile.IndexOfAny(InvalidRingFileChars) >= 0)
        {
            return false;
        }

        foreach (var c in ringFile)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
