namespace SessionKinds.AgentFramework.Tests.Infrastructure;

/// <summary>Assertions on what a store wrote.</summary>
internal static class Expect
{
    /// <summary>The epoch milliseconds of <see cref="AgentFolder.Start"/>, as transcript lines write it.</summary>
    public const long StartMs = 1767596400000;

    /// <summary>
    /// The transcript of <paramref name="sessionId"/> has exactly <paramref name="expected"/>, line by line
    /// (<c>SESSION</c> in an expected line stands for the session id, and <c>"ts":TS</c> for <paramref name="timestampMs"/>).
    /// </summary>
    public static void TranscriptLines(AgentFolder folder, string sessionId, long timestampMs, params string[] expected)
    {
        var actual = folder.TranscriptLines(sessionId);
        var wanted = expected
            .Select(line => line
                .Replace("SESSION", sessionId, StringComparison.Ordinal)
                .Replace("\"ts\":TS", $"\"ts\":{timestampMs}", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(wanted.Length, actual.Count);
        for (var i = 0; i < wanted.Length; i++)
        {
            Assert.Equal(wanted[i], actual[i]);
        }
    }

    /// <summary>The store wrote exactly these files (the folder lock's files aside).</summary>
    public static void Files(AgentFolder folder, params string[] names) => Assert.Equal(names.Order(StringComparer.Ordinal), folder.DataFiles());

    /// <summary>The store wrote nothing at all.</summary>
    public static void NothingWritten(AgentFolder folder) => Assert.Empty(folder.DataFiles());
}
