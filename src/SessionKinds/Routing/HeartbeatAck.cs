using System.Text;
using System.Text.RegularExpressions;

namespace SessionKinds;

/// <summary>
/// Decides whether a heartbeat reply is an acknowledgement (<see cref="Token"/>) or an alert, by the ack
/// rule of DESIGN §4, compatible with the gateway the rule comes from.
/// </summary>
/// <remarks>
/// <para>The rule, in order:</para>
/// <list type="number">
/// <item><description>Trim. An empty (or <see langword="null"/>) reply is an ack.</description></item>
/// <item><description>Normalize light markup: <c>&amp;nbsp;</c> (any case) and simple HTML tags such as <c>&lt;b&gt;</c>,
/// <c>&lt;/p&gt;</c> or <c>&lt;br/&gt;</c> become spaces; runs of <c>*</c>, <c>`</c>, <c>~</c> and <c>_</c> directly
/// around the token are removed (<c>**HEARTBEAT_OK**</c>, <c>`HEARTBEAT_OK`</c>).</description></item>
/// <item><description>Remove the token repeatedly from the start, and from the end where up to
/// <see cref="MaxTrailingCharacters"/> non-word characters may follow it (<c>HEARTBEAT_OK.</c>, <c>HEARTBEAT_OK!!!!</c>);
/// those trailing characters go with the token. The token is case-sensitive and must stand as a word:
/// <c>HEARTBEAT_OKAY</c> or <c>MY_HEARTBEAT_OK</c> is not the token. A word character is a letter, a digit or <c>_</c>.</description></item>
/// <item><description>If no token was removed, the reply is an alert (a token only in the middle is not removed).</description></item>
/// <item><description>Otherwise the remaining text, with runs of white space collapsed to one space (and nothing left when only
/// markup characters remain, as in <c>```HEARTBEAT_OK```</c> across lines), is an ack when it has at most <c>AckMaxChars</c>
/// UTF-16 characters, and an alert when it is longer.</description></item>
/// </list>
/// </remarks>
public static partial class HeartbeatAck
{
    /// <summary>The acknowledgement token a heartbeat run answers when there is nothing to report.</summary>
    public const string Token = "HEARTBEAT_OK";

    /// <summary>How many non-word characters may follow the token at the end of a reply for it to still be removed.</summary>
    public const int MaxTrailingCharacters = 4;

    /// <summary>Classifies a heartbeat reply.</summary>
    /// <param name="reply">The reply text; <see langword="null"/> is treated as empty.</param>
    /// <param name="ackMaxChars">How much text may remain beside the token for the reply to stay an ack (0 or more).</param>
    /// <returns>Whether the reply is an ack, and the text that remains after the token is removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ackMaxChars"/> is negative.</exception>
    public static HeartbeatAckResult Classify(string? reply, int ackMaxChars = HeartbeatSessionAttribute.DefaultAckMaxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ackMaxChars);
        var stripped = StripToken(reply);
        if (stripped.Text.Length == 0)
        {
            return new HeartbeatAckResult(IsAck: true, stripped.Text, stripped.TokenRemoved);
        }

        var isAck = stripped.TokenRemoved && stripped.Text.Length <= ackMaxChars;
        return new HeartbeatAckResult(isAck, stripped.Text, stripped.TokenRemoved);
    }

    /// <summary>Whether <paramref name="reply"/> is an acknowledgement (see <see cref="Classify"/>).</summary>
    public static bool IsAck(string? reply, int ackMaxChars = HeartbeatSessionAttribute.DefaultAckMaxChars) =>
        Classify(reply, ackMaxChars).IsAck;

    /// <summary>
    /// Normalizes markup and removes the token from the edges of <paramref name="reply"/>, without deciding ack or alert.
    /// </summary>
    /// <returns>The remaining text (trimmed, white space collapsed) and whether a token was removed.</returns>
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
        var removed = false;
        while (true)
        {
            text = text.Trim();

            // The end first, so "HEARTBEAT_OK." loses its period together with the token.
            if (TryGetTokenAtEnd(text, out var tokenStart))
            {
                text = text[..tokenStart];
                removed = true;
                continue;
            }

            if (StartsWithToken(text))
            {
                text = text[Token.Length..];
                removed = true;
                continue;
            }

            break;
        }

        if (removed && IsOnlyMarkup(text))
        {
            // What is left of "```\nHEARTBEAT_OK\n```" or "<i>**HEARTBEAT_OK**</i>" is no text.
            text = string.Empty;
        }

        return new HeartbeatTokenStrip(CollapseWhiteSpace(text), removed);
    }

    private static string NormalizeMarkup(string text)
    {
        if (text.Contains('&'))
        {
            text = NonBreakingSpaceEntity().Replace(text, " ");
        }

        if (text.Contains('<'))
        {
            text = SimpleHtmlTag().Replace(text, " ");
        }

        if (text.Contains(Token, StringComparison.Ordinal))
        {
            text = MarkupAroundToken().Replace(text, Token);
        }

        return text;
    }

    private static bool StartsWithToken(string text) =>
        text.StartsWith(Token, StringComparison.Ordinal)
        && (text.Length == Token.Length || !IsWordChar(text[Token.Length]));

    private static bool TryGetTokenAtEnd(string text, out int tokenStart)
    {
        var trailing = 0;
        while (trailing < text.Length && trailing <= MaxTrailingCharacters && !IsWordChar(text[text.Length - 1 - trailing]))
        {
            trailing++;
        }

        tokenStart = text.Length - trailing - Token.Length;
        return trailing <= MaxTrailingCharacters
            && tokenStart >= 0
            && string.CompareOrdinal(text, tokenStart, Token, 0, Token.Length) == 0
            && (tokenStart == 0 || !IsWordChar(text[tokenStart - 1]));
    }

    private static bool IsOnlyMarkup(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c is not ('*' or '`' or '~' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static string CollapseWhiteSpace(string text)
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
            return text;
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

    // Markup runs directly around a token that stands as a word: "**HEARTBEAT_OK**" but not "MY_HEARTBEAT_OK" or "HEARTBEAT_OK__x".
    [GeneratedRegex(@"(?<![\p{L}\p{N}])(?>[*`~_]*)HEARTBEAT_OK(?>[*`~_]*)(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex MarkupAroundToken();
}

/// <summary>The verdict of <see cref="HeartbeatAck.Classify"/>.</summary>
/// <param name="IsAck">Whether the reply is an acknowledgement (not persisted as a session).</param>
/// <param name="Text">The text that remains once markup is normalized and the token removed from the edges; empty for a bare ack.</param>
/// <param name="TokenRemoved">Whether a token was removed from the start or end of the reply.</param>
public readonly record struct HeartbeatAckResult(bool IsAck, string Text, bool TokenRemoved);

/// <summary>The result of <see cref="HeartbeatAck.StripToken"/>.</summary>
/// <param name="Text">The remaining text, trimmed, with runs of white space collapsed to one space.</param>
/// <param name="TokenRemoved">Whether a token was removed from the start or end.</param>
public readonly record struct HeartbeatTokenStrip(string Text, bool TokenRemoved);
