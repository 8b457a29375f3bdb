using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SessionKinds;

/// <summary>
/// The silent-reply rule: whether a whole reply says <see cref="Token"/>, that is, "nothing to deliver". It is the one
/// implementation behind <see cref="CronReply.IsSilent"/> (a silent cron run) and <see cref="HeartbeatAck.Classify"/>
/// (a silent heartbeat is an ack).
/// </summary>
/// <remarks>
/// <para>A reply is silent when it is empty or white space, or when, trimmed, it has one of these forms:</para>
/// <list type="number">
/// <item><description><b>Token only.</b> Split at white space (after <c>&amp;nbsp;</c> and simple HTML tags such as
/// <c>&lt;b&gt;</c> become spaces), every word is the token, possibly wrapped in edge characters, or consists of edge
/// characters only, and at least one word is the token. The token matches in any ASCII case (<c>no_reply</c>,
/// <c>No_Reply</c>). Edge characters are Unicode punctuation (<c>.</c>, <c>!</c>, <c>*</c>, <c>_</c>, <c>"</c>,
/// <c>(</c>, <c>«</c>, <c>…</c>, …) and the markup symbols <c>`</c> and <c>~</c>: <c>NO_REPLY.</c>, <c>«NO_REPLY»</c>,
/// <c>**NO_REPLY**</c>, <c>`NO_REPLY`</c>, <c>NO_REPLY NO_REPLY</c> and <c>```</c>-fenced <c>NO_REPLY</c> are silent.
/// Any other character makes the word content: an emoji or other symbol (<c>NO_REPLY🙂</c>, <c>🙂 NO_REPLY</c>), a lone
/// surrogate (<c>NO_REPLY\uD800</c>), a letter or digit (<c>NO_REPLYS</c>), so is any other word (<c>NO_REPLY needed</c>,
/// <c>I will not answer NO_REPLY here</c>).</description></item>
/// <item><description><b>JSON.</b> The reply (or the body of a <c>```</c> / <c>```json</c> fence around it) is, as a whole
/// and at most <see cref="MaxJsonChars"/> characters long, either a JSON string or a JSON object with exactly one member,
/// named <c>action</c>, whose value is a string; and that string is itself silent by the token-only form
/// (<c>"NO_REPLY"</c>, <c>{"action":"NO_REPLY"}</c>, <c>{ "action": "no_reply" }</c>). Any white space JSON allows is
/// tolerated. Any other member (<c>{"action":"NO_REPLY","reason":"…"}</c>), a non-string value, nesting, trailing text or
/// invalid JSON makes the reply not silent: other members may carry content, and the gateway delivers such replies.</description></item>
/// <item><description><b>After a reasoning preamble.</b> The reply starts with one or more closed <c>&lt;think&gt;…&lt;/think&gt;</c>
/// or <c>&lt;thinking&gt;…&lt;/thinking&gt;</c> blocks (tag names in any case) and what follows them is silent by the
/// token-only or JSON form. Or the reply starts with <c>think:</c> or <c>thinking:</c> (any case): that block runs to the
/// first blank line, and what follows the blank line must be silent by the token-only or JSON form; without a blank line,
/// the block runs to the end and the reply must end with the token standing apart (after white space or punctuation
/// other than <c>_</c>, optionally followed by edge characters). The preamble's own words are never delivered, so they
/// may say anything, including the token, but the token must follow them. An unclosed <c>&lt;think&gt;</c>, a preamble
/// with nothing after it, or an answer between the preamble and the final token
/// (<c>&lt;think&gt;…&lt;/think&gt; Here is your brief: … NO_REPLY</c>) is not silent.</description></item>
/// </list>
/// <para>The rule never throws and runs in time linear in the length of the reply.</para>
/// </remarks>
internal static class SilentReply
{
    /// <summary>The silent-reply token.</summary>
    internal const string Token = "NO_REPLY";

    /// <summary>The longest reply (in UTF-16 characters, after trimming and removing a fence) read as a JSON silent reply.</summary>
    internal const int MaxJsonChars = 1024;

    private const string CodeFence = "```";

    /// <summary>Whether the whole of <paramref name="reply"/> is silent (see the remarks of <see cref="SilentReply"/>).</summary>
    /// <param name="reply">The reply text; <see langword="null"/> is treated as empty (silent).</param>
    internal static bool IsSilent(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return true;
        }

        // Every form contains the token literally; most replies are rejected here without further work.
        if (reply.AsSpan().IndexOf(Token, StringComparison.OrdinalIgnoreCase) < 0)
        {
            return false;
        }

        var text = reply.AsSpan().Trim();
        return IsTokenOnlyOrJson(text) || IsAfterReasoningPreamble(text);
    }

    /// <summary>Whether <paramref name="rune"/> may wrap a token: Unicode punctuation, <c>`</c> or <c>~</c>.</summary>
    internal static bool IsEdgeCharacter(Rune rune) =>
        rune.Value is '`' or '~'
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;

    private static bool IsTokenOnlyOrJson(ReadOnlySpan<char> text) => IsTokenOnly(text) || IsJson(text);

    private static bool IsTokenOnly(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAny('<', '&') >= 0)
        {
            return AreOnlyTokens(HeartbeatAck.ReplaceHtmlMarkup(text.ToString()));
        }

        return AreOnlyTokens(text);
    }

    private static bool AreOnlyTokens(ReadOnlySpan<char> text)
    {
        var sawToken = false;
        while (true)
        {
            text = text.TrimStart();
            if (text.IsEmpty)
            {
                return sawToken;
            }

            var length = 0;
            while (length < text.Length && !char.IsWhiteSpace(text[length]))
            {
                length++;
            }

            var core = TrimEdgeCharacters(text[..length]);
            text = text[length..];
            if (core.IsEmpty)
            {
                continue; // a word of edge characters only, such as a ``` fence or a dash
            }

            if (!Ascii.EqualsIgnoreCase(core, Token))
            {
                return false;
            }

            sawToken = true;
        }
    }

    private static ReadOnlySpan<char> TrimEdgeCharacters(ReadOnlySpan<char> word)
    {
        while (!word.IsEmpty
               && Rune.DecodeFromUtf16(word, out var rune, out var used) == OperationStatus.Done
               && IsEdgeCharacter(rune))
        {
            word = word[used..];
        }

        while (!word.IsEmpty
               && Rune.DecodeLastFromUtf16(word, out var rune, out var used) == OperationStatus.Done
               && IsEdgeCharacter(rune))
        {
            word = word[..^used];
        }

        return word;
    }

    private static bool IsJson(ReadOnlySpan<char> text)
    {
        if (text.StartsWith(CodeFence, StringComparison.Ordinal) && !TryGetFenceBody(text, out text))
        {
            return false;
        }

        if (text.Length < 2 || text.Length > MaxJsonChars || text[0] is not ('"' or '{'))
        {
            return false;
        }

        // Encoding.UTF8 replaces a lone surrogate with U+FFFD instead of throwing; the value then is not the token.
        var utf8 = new byte[Encoding.UTF8.GetByteCount(text)];
        Encoding.UTF8.GetBytes(text, utf8);
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read())
            {
                return false;
            }

            string? value;
            if (reader.TokenType == JsonTokenType.String)
            {
                value = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("action"u8)
                    || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                value = reader.GetString();
                if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
                {
                    return false; // another member
                }
            }
            else
            {
                return false;
            }

            // Anything but white space after the value makes the reader throw; a second value is never silent.
            return !reader.Read() && value is not null && IsTokenOnly(value.AsSpan().Trim());
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false; // a string the reader cannot decode, such as an escaped lone surrogate
        }
    }

    // "```json\n{…}\n```" → "{…}". The info string, if any, is letters only.
    private static bool TryGetFenceBody(ReadOnlySpan<char> text, out ReadOnlySpan<char> body)
    {
        body = default;
        if (text.Length < 2 * CodeFence.Length || !text.EndsWith(CodeFence, StringComparison.Ordinal))
        {
            return false;
        }

        var inside = text[CodeFence.Length..^CodeFence.Length];
        var lineEnd = inside.IndexOf('\n');
        if (lineEnd < 0)
        {
            return false;
        }

        foreach (var c in inside[..lineEnd].Trim())
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        body = inside[(lineEnd + 1)..].Trim();
        return true;
    }

    private static bool IsAfterReasoningPreamble(ReadOnlySpan<char> text) =>
        !text.IsEmpty && text[0] == '<' ? IsAfterTaggedReasoning(text) : IsAfterPlainReasoning(text);

    private static bool IsAfterTaggedReasoning(ReadOnlySpan<char> text)
    {
        var sawBlock = false;
        while (true)
        {
            string close;
            int openLength;
            if (text.StartsWith("<thinking>", StringComparison.OrdinalIgnoreCase))
            {
                (openLength, close) = ("<thinking>".Length, "</thinking>");
            }
            else if (text.StartsWith("<think>", StringComparison.OrdinalIgnoreCase))
            {
                (openLength, close) = ("<think>".Length, "</think>");
            }
            else
            {
                break;
            }

            var body = text[openLength..];
            var at = body.IndexOf(close, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false; // unclosed: no boundary between reasoning and answer
            }

            text = body[(at + close.Length)..].TrimStart();
            sawBlock = true;
        }

        return sawBlock && IsTokenOnlyOrJson(text);
    }

    private static bool IsAfterPlainReasoning(ReadOnlySpan<char> text)
    {
        int prefix;
        if (text.StartsWith("thinking:", StringComparison.OrdinalIgnoreCase))
        {
            prefix = "thinking:".Length;
        }
        else if (text.StartsWith("think:", StringComparison.OrdinalIgnoreCase))
        {
            prefix = "think:".Length;
        }
        else
        {
            return false;
        }

        var block = text[prefix..];
        var afterBlankLine = IndexAfterFirstBlankLine(block);
        return afterBlankLine >= 0
            ? IsTokenOnlyOrJson(block[afterBlankLine..].Trim())
            : EndsWithStandaloneToken(block);
    }

    // The index just after the first blank line (a line with white space only), or -1.
    private static int IndexAfterFirstBlankLine(ReadOnlySpan<char> text)
    {
        var lineBreak = text.IndexOf('\n');
        while (lineBreak >= 0)
        {
            var next = lineBreak + 1;
            while (next < text.Length && text[next] != '\n' && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (next < text.Length && text[next] == '\n')
            {
                return next + 1;
            }

            var following = next < text.Length ? text[next..].IndexOf('\n') : -1;
            lineBreak = following < 0 ? -1 : next + following;
        }

        return -1;
    }

    // "… stay quiet. NO_REPLY", "… stay quiet.NO_REPLY!", "…\n**NO_REPLY**"; not "…🙂NO_REPLY" nor "MY_NO_REPLY".
    private static bool EndsWithStandaloneToken(ReadOnlySpan<char> text)
    {
        text = text.TrimEnd();
        var wordStart = text.Length;
        while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1]))
        {
            wordStart--;
        }

        var core = TrimEdgeCharacters(text[wordStart..]);
        if (core.Length < Token.Length || !Ascii.EqualsIgnoreCase(core[^Token.Length..], Token))
        {
            return false;
        }

        var before = core[..^Token.Length];
        return before.IsEmpty
            || (Rune.DecodeLastFromUtf16(before, out var rune, out _) == OperationStatus.Done
                && rune.Value != '_'
                && IsEdgeCharacter(rune));
    }
}
