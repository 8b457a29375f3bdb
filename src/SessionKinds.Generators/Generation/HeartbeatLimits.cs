namespace SessionKinds.Generators.Generation;

/// <summary>
/// The valid heartbeat settings (DESIGN §7, SKND0006) and the attribute's defaults, for when the
/// referenced runtime does not expose them as constants. The generator skips a task outside these
/// limits; the analyzer reports it.
/// </summary>
internal static class HeartbeatLimits
{
    public const int MinRingSize = 1;
    public const int MaxRingSize = 10000;
    public const int MinAckMaxChars = 0;

    public const int DefaultRingSize = 50;
    public const int DefaultAckMaxChars = 300;
    public const string DefaultRingFile = "heartbeat-ring.json";

    public static bool IsValid(int ringSize, int ackMaxChars) =>
        ringSize >= MinRingSize && ringSize <= MaxRingSize && ackMaxChars >= MinAckMaxChars;
}
