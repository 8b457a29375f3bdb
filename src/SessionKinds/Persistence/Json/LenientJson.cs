using System.Text.Json;

namespace SessionKinds.Persistence.Json;

/// <summary>
/// What the gateway accepted when it read its files with JSON5, and the store therefore reads too: <c>//</c> and
/// <c>/* */</c> comments and trailing commas (a UTF-8 BOM is skipped by the file parser). Files are read strictly first;
/// only a file that needs these rules is read again with them, and every raw value taken from it is made strict JSON
/// (<see cref="Normalize"/>) so a rewrite never copies a comment or a trailing comma into the new file.
/// </summary>
internal static class LenientJson
{
    /// <summary>Strict JSON: the fast path every file takes first.</summary>
    public static readonly JsonReaderOptions Strict = new()
    {
        MaxDepth = RawJsonObject.MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Strict JSON plus comments (skipped) and trailing commas.</summary>
    public static readonly JsonReaderOptions Lenient = new()
    {
        MaxDepth = RawJsonObject.MaxDepth,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// <paramref name="value"/> itself when it holds no comment and no trailing comma (byte for byte, the common case);
    /// otherwise a copy without them, its layout otherwise kept (a line left empty by a removed comment is dropped).
    /// The value must have been accepted by a reader with <see cref="Lenient"/> options.
    /// </summary>
    public static ReadOnlyMemory<byte> Normalize(ReadOnlyMemory<byte> value)
    {
        var span = value.Span;
        var first = FirstLenientByte(span);
        if (first < 0)
        {
            return value;
        }

        // Only bytes are left out, so the copy never outgrows the value.
        var output = new byte[span.Length];
        span[..first].CopyTo(output);
        var length = first;
        var i = first;
        while (i < span.Length)
        {
            var c = span[i];
            if (c == (byte)'"')
            {
                var end = StringEnd(span, i);
                span[i..end].CopyTo(output.AsSpan(length));
                length += end - i;
                i = end;
            }
            else if (c == (byte)'/' && i + 1 < span.Length && span[i + 1] is (byte)'/' or (byte)'*')
            {
                i = CommentEnd(span, i);
                DropCommentLayout(output, ref length, span, ref i);
            }
            else if (c == (byte)',' && IsTrailingComma(span, i + 1))
            {
                i++;
            }
            else
            {
                output[length++] = c;
                i++;
            }
        }

        return output.AsMemory(0, length);
    }

    /// <summary>The index of the first comment or trailing comma outside strings, or -1.</summary>
    private static int FirstLenientByte(ReadOnlySpan<byte> span)
    {
        var i = 0;
        while (i < span.Length)
        {
            var next = span[i..].IndexOfAny("\"/,"u8);
            if (next < 0)
            {
                return -1;
            }

            i += next;
            switch (span[i])
            {
                case (byte)'"':
                    i = StringEnd(span, i);
                    break;
                case (byte)'/':
                    return i;
                default:
                    if (IsTrailingComma(span, i + 1))
                    {
                        return i;
                    }

                    i++;
                    break;
            }
        }

        return -1;
    }

    /// <summary>The index after the closing quote of the string starting at <paramref name="start"/>.</summary>
    private static int StringEnd(ReadOnlySpan<byte> span, int start)
    {
        var i = start + 1;
        while (i < span.Length)
        {
            var next = span[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return span.Length;
            }

            i += next;
            if (span[i] == (byte)'\\')
            {
                i += 2;
                continue;
            }

            return i + 1;
        }

        return span.Length;
    }

    /// <summary>The index after the comment starting at <paramref name="start"/> (a line comment ends before its line break).</summary>
    private static int CommentEnd(ReadOnlySpan<byte> span, int start)
    {
        if (span[start + 1] == (byte)'/')
        {
            var end = span[start..].IndexOfAny((byte)'\n', (byte)'\r');
            return end < 0 ? span.Length : start + end;
        }

        var close = span[(start + 2)..].IndexOf("*/"u8);
        return close < 0 ? span.Length : start + 2 + close + 2;
    }

    /// <summary>Whether what follows a comma (white space and comments aside) closes an object or an array.</summary>
    private static bool IsTrailingComma(ReadOnlySpan<byte> span, int i)
    {
        while (i < span.Length)
        {
            var c = span[i];
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
            }
            else if (c == (byte)'/' && i + 1 < span.Length && span[i + 1] is (byte)'/' or (byte)'*')
            {
                i = CommentEnd(span, i);
            }
            else
            {
                return c is (byte)']' or (byte)'}';
            }
        }

        return false;
    }

    /// <summary>
    /// After a comment was left out: the spaces written before it on its line go too, and when that leaves the line empty,
    /// so does the line break after it.
    /// </summary>
    private static void DropCommentLayout(byte[] output, ref int length, ReadOnlySpan<byte> span, ref int i)
    {
        length = output.AsSpan(0, length).TrimEnd(" \t"u8).Length;
        if (length > 0 && output[length - 1] == (byte)'\n')
        {
            if (i < span.Length && span[i] == (byte)'\r')
            {
                i++;
            }

            if (i < span.Length && span[i] == (byte)'\n')
            {
                i++;
            }
        }
    }
}
