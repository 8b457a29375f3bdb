namespace SessionKinds;

/// <summary>A session's transcript, as read: its header and messages in order.</summary>
/// <param name="SessionId">The session id.</param>
/// <param name="Header">The first <c>"type":"session"</c> line, when present.</param>
/// <param name="Messages">The <c>"type":"message"</c> lines, in order.</param>
/// <param name="SkippedLines">Lines that did not parse (a fragment torn by a crash) and were skipped.</param>
public sealed record Transcript(string SessionId, TranscriptHeader? Header, IReadOnlyList<TranscriptMessage> Messages, int SkippedLines)
{
    /// <summary>
    /// Reads a transcript from its stored lines (for store engines). Each line is one JSON object; a line that does not
    /// parse is skipped and counted, never fatal; lines of other types are ignored.
    /// </summary>
    public static Transcript Parse(string sessionId, IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(lines);
        return TranscriptLines.Parse(sessionId, lines);
    }
}

/// <summary>The header line of a transcript.</summary>
/// <param name="SessionId">The session id recorded in the header.</param>
/// <param name="Key">The session key.</param>
/// <param name="Kind">The session kind.</param>
/// <param name="Timestamp">When the session started.</param>
public sealed record TranscriptHeader(string SessionId, string Key, SessionKind Kind, DateTimeOffset Timestamp);

/// <summary>One message line of a transcript.</summary>
/// <param name="Role">The speaker, e.g. <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">The message text.</param>
/// <param name="Timestamp">When the message was recorded.</param>
/// <param name="Data">
/// The JSON recorded beside the text (<see cref="ReplyMessage.Data"/>), exactly as written except that line breaks between
/// its tokens are stored as spaces (a transcript line is one line), or <see langword="null"/>.
/// </param>
public sealed record TranscriptMessage(string Role, string Content, DateTimeOffset Timestamp, string? Data = null);
