using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SessionKinds;

/// <summary>
/// Decides whether a heartbeat reply is an acknowledgement (<see cref="Token"/>, or a silent <c>NO_REPLY</c> reply) or an
/// alert, compatible with the current rules of the gateway the heartbeat comes from.
/// </summary>
/// <remarks>
/// <para>The rule, in order:</para>
/// <list type="number">
/// <item><description>Trim. An empty (or <see langword="null"/>) reply is an ack.</description></item>
/// <item><description>Normalize light markup: <c>&amp;nbsp;</c> (any case) and simple HTML tags such as <c>&lt;b&gt;</c>,
/// <c>&lt;/p&gt;</c> or <c>&lt;br/&gt;</c> become spaces; runs of <c>*</c>, <c>`</c>, <c>~</c> and <c>_</c> directly
/// around the token are removed (<c>**HEARTBEAT_OK**</c>, <c>`HEARTBEAT_OK`</c>).</description></item>
/// <item><description>Remove the token from the edges, the start before the end, until neither edge has one: first from the
/// start, repeatedly; then from the end, where up to <see cref="MaxTrailingCharacters"/> non-word characters (UTF-16
/// units; an emoji counts as two) may follow it (<c>HEARTBEAT_OK.</c>, <c>HEARTBEAT_OK!!!!</c>) and go with the token;
/// then from the start again, and so on. Because the start goes first, <c>HEARTBEAT_OK 🦞</c> leaves <c>🦞</c>. The token
/// is case-sensitive and must stand as a word: <c>HEARTBEAT_OKAY</c> or <c>MY_HEARTBEAT_OK</c> is not the token. A word
/// character is a letter, a digit or <c>_</c>.</description></item>
/// <item><description>The remaining text has its runs of white space collapsed to one space. When a token was removed
/// and only punctuation, <c>`</c>, <c>~</c> and white space remain (<c>HEARTBEAT_OK.</c> at the start,
/// <c>```HEARTBEAT_OK```</c> across lines), nothing remains.</description></item>
/// <item><description>Nothing remains → ack.</description></item>
/// <item><description>The whole reply is a silent reply (<c>NO_REPLY</c> in any case, with edge punctuation or markup,
/// repeated, as a JSON string or <c>{"action":"NO_REPLY"}</c> envelope, or after a <c>&lt;think&gt;…&lt;/think&gt;</c> or
/// <c>think:</c> / <c>thinking:</c> preamble; the same rule as <see cref="CronReply.IsSilent"/>) → ack, whatever
/// <c>AckMaxChars</c>, with no remaining text. So is a reply whose token was removed and whose remaining text is a
/// silent reply (<c>HEARTBEAT_OK NO_REPLY</c>). A reply that only mentions <c>NO_REPLY</c> is not silent.</description></item>
/// <item><description>If no token was removed, the reply is an alert (a token only in the middle is not removed).</description></item>
/// <item><description>Otherwise the remaining text is an ack when it has at most <c>AckMaxChars</c> UTF-16 characters,
/// and an alert when it is longer.</description></item>
/// </list>
/// <para>Classification never throws for any reply text (only a negative <c>AckMaxChars</c> is rejected) and runs in
/// time linear in the length of the reply.</para>
/// </remarks>
internal static partial class HeartbeatAck
{
    /// <summary>The acknowledgement token a heartbeat run answers when there is nothing to report.</summary>
    public const string Token = "HEARTBEAT_OK";

    /// <summary>How many non-word characters may follow the token at the end of a reply for it to still be removed (they are removed with it).</summary>
    public const int MaxTrailingCharacters = 4;

    /// <summary>Classifies a heartbeat reply: ack (the token with at most <paramref name="ackMaxChars"/> characters beside it, an empty reply, or a silent <c>NO_REPLY</c> reply) or alert.</summary>
    /// <param name="reply">The reply text; <see langword="null"/> is treated as empty.</param>
    /// <param name="ackMaxChars">How much text may remain beside the token for the reply to stay an ack (0 or more).</param>
    /// <returns>
    /// Whether the reply is an ack; the text that remains after the token is removed (empty for a silent reply); and
    /// whether a heartbeat token was removed (as <see cref="StripToken"/> reports it).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ackMaxChars"/> is negative.</exception>
    public static HeartbeatAckResult Classify(string? reply, int ackMaxChars = HeartbeatSessionAttribute.DefaultAckMaxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ackMaxChars);
        var stripped = StripToken(reply);
        if (stripped.Text.Length == 0)
        {
            return new HeartbeatAckResult(IsAck: true, stripped.Text, stripped.TokenRemoved);
        }

        // Heartbeat prompts ask for NO_REPLY too: a silent reply is an ack, alone or beside the token.
        if (SilentReply.IsSilent(reply) || (stripped.TokenRemoved && SilentReply.IsSilent(stripped.Text)))
        {
            return new HeartbeatAckResult(IsAck: true, string.Empty, stripped.TokenRemoved);
        }

        var isAck = stripped.TokenRemoved && stripped.Text.Length <= ackMaxChars;
        return new HeartbeatAckResult(isAck, stripped.Text, stripped.TokenRemoved);
    }

    /// <summary>Whether <paramref name="reply"/> is an acknowledgement (see <see cref="Classify"/>).</summary>
    public static bool IsAck(string? reply, int ackMaxChars = HeartbeatSessionAttribute.DefaultAckMaxChars) =>
        Classify(reply, ackMaxChars).IsAck;

    /// <summary>
    /// Normalizes markup and removes the token from the edges of <paramref name="reply"/> (the start before the end),
    /// without deciding ack or alert and without applying the <c>NO_REPLY</c> rule.
    /// </summary>
    /// <returns>
    /// The remaining text (trimmed, white space collapsed; empty when only punctuation or markup is left beside a removed
    /// token) and whether a token was removed.
    /// </returns>
    public static HeartbeatTokenStrip StripToken(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return new HeartbeatTokenStrip(string.Empty, TokenRemoved: false);
        }

        var trimmed = reply.AsSpan().Trim();
        if (trimmed.SequenceEqual(Token))
        {
            return new HeartbeatTokenStrip(string.Empty, TokenRemoved: true); // the common case, without allocations
        }

        var text = NormalizeMarkup(trimmed.ToString());

        // Indexes instead of substrings: a reply of many tokens is stripped in linear time.
        var start = 0;
        var end = text.Length;
        var removed = false;
        while (true)
        {
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }

            var rest = text.AsSpan(start, end - start);

            // The start first: "HEARTBEAT_OK 🦞" keeps its emoji, where the end rule would have taken it as trailing characters.
            if (StartsWithToken(rest))
            {
                start += Token.Length;
                removed = true;
                continue;
            }

            if (TryGetTokenAtEnd(rest, out var tokenStart))
            {
                end = start + tokenStart;
                removed = true;
                continue;
            }

            break;
        }

        var remaining = text.AsSpan(start, end - start);
        if (removed && IsOnlyPunctuationOrMarkup(remaining))
        {
            // What is left of "HEARTBEAT_OK.", "```\nHEARTBEAT_OK\n```" or "<i>**HEARTBEAT_OK**</i>" is no text.
            return new HeartbeatTokenStrip(string.Empty, TokenRemoved: true);
        }

        return new HeartbeatTokenStrip(CollapseWhiteSpace(remaining), removed);
    }

    /// <summary>Replaces <c>&amp;nbsp;</c> and simple HTML tags with spaces (the markup both reply rules ignore).</summary>
    internal static string ReplaceHtmlMarkup(string text)
    {
        if (text.Contains('&'))
        {
            text = NonBreakingSpaceEntity().Replace(text, " ");
        }

        if (text.Contains('<'))
        {
            text = SimpleHtmlTag().Replace(text, " ");
        }

        return text;
    }

    private static string NormalizeMarkup(string text)
    {
        text = ReplaceHtmlMarkup(text);
        return RemoveMarkupAroundTokens(text);
    }

    // Markup runs directly around a token that stands as a word: "**HEARTBEAT_OK**" becomes the token; "MY_HEARTBEAT_OK" and
    // "HEARTBEAT_OK__x" stay. Scans each occurrence once (linear time, where a regex with a leading markup loop is not).
    // A match is: the longest run of markup before the token that does not start right after a letter or number (if the
    // run does, its first character stays), the token, and the run of markup after it, which must not be followed by a
    // letter or number.
    private static string RemoveMarkupAroundTokens(string text)
    {
        StringBuilder? builder = null;
        var copied = 0;
        var search = 0;
        while (search <= text.Length - Token.Length)
        {
            var tokenStart = text.IndexOf(Token, search, StringComparison.Ordinal);
            if (tokenStart < 0)
            {
                break;
            }

            var end = tokenStart + Token.Length;
            while (end < text.Length && IsMarkup(text[end]))
            {
                end++;
            }

            var start = tokenStart;
            while (start > search && IsMarkup(text[start - 1]))
            {
                start--;
            }

            if (start > 0 && IsLetterOrNumber(text[start - 1]))
            {
                start++; // the run's first character is glued to a word: keep it
            }

            if ((end < text.Length && IsLetterOrNumber(text[end])) || start > tokenStart)
            {
                search = tokenStart + 1;
                continue;
            }

            builder ??= new StringBuilder(text.Length);
            builder.Append(text, copied, start - copied).Append(Token);
            copied = end;
            search = end;
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool IsMarkup(char c) => c is '*' or '`' or '~' or '_';

    private static bool IsLetterOrNumber(char c) =>
        char.GetUnicodeCategory(c) is >= UnicodeCategory.UppercaseLetter and <= UnicodeCategory.OtherLetter
            or >= UnicodeCategory.DecimalDigitNumber and <= UnicodeCategory.OtherNumber;

    private static bool StartsWithToken(ReadOnlySpan<char> text) =>
        text.StartsWith(Token, StringComparison.Ordinal)
        && (text.Length == Token.Length || !IsWordChar(text[Token.Length]));

    private static bool TryGetTokenAtEnd(ReadOnlySpan<char> text, out int tokenStart)
    {
        var trailing = 0;
        while (trailing < text.Length && trailing <= MaxTrailingCharacters && !IsWordChar(text[text.Length - 1 - trailing]))
        {
            trailing++;
        }

        tokenStart = text.Length - trailing - Token.Length;
        return trailing <= MaxTrailingCharacters
            && tokenStart >= 0
            && text.Slice(tokenStart, Token.Length).SequenceEqual(Token)
            && (tokenStart == 0 || !IsWordChar(text[tokenStart - 1]));
    }

    private static bool IsOnlyPunctuationOrMarkup(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var used) != OperationStatus.Done
                || !(Rune.IsWhiteSpace(rune) || SilentReply.IsEdgeCharacter(rune)))
            {
                return false; // a letter, digit, emoji or other symbol, or a lone surrogate: text
            }

            text = text[used..];
        }

        return true;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static string CollapseWhiteSpace(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        var needsWork = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && (text[i] != ' ' || (i + 1 < text.Length && char.IsWhiteSpace(text[i + 1]))))
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return text.ToString();
        }

        var builder = new StringBuilder(text.Length);
        var inSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inSpace)
                {
                    builder.Append(' ');
                }

                inSpace = true;
            }
            else
            {
                builder.Append(c);
                inSpace = false;
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex("&nbsp;", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NonBreakingSpaceEntity();

    // An opening, closing or self-closing tag whose name starts with a letter: <b>, </p>, <br/>, <span class="x">.
    // "a < b" is not a tag (a space follows the '<').
    [GeneratedRegex(@"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>", RegexOptions.CultureInvariant)]
    private static partial Regex SimpleHtmlTag();

}

/// <summary>The verdict of <see cref="HeartbeatAck.Classify"/>.</summary>
/// <param name="IsAck">Whether the reply is an acknowledgement (not persisted as a session).</param>
/// <param name="Text">The text that remains once markup is normalized and the token removed from the edges; empty for a bare ack and for a silent (<c>NO_REPLY</c>) reply.</param>
/// <param name="TokenRemoved">Whether a <see cref="HeartbeatAck.Token"/> was removed from the start or end of the reply (<see langword="false"/> for a reply that is only <c>NO_REPLY</c>).</param>
internal readonly record struct HeartbeatAckResult(bool IsAck, string Text, bool TokenRemoved);

/// <summary>The result of <see cref="HeartbeatAck.StripToken"/>.</summary>
/// <param name="Text">The remaining text, trimmed, with runs of white space collapsed to one space; empty when a token was removed and only punctuation or markup is left.</param>
/// <param name="TokenRemoved">Whether a token was removed from the start or end.</param>
internal readonly record struct HeartbeatTokenStrip(string Text, bool TokenRemoved);
