using System.Globalization;
using System.Text;

namespace SessionKinds.Generators.Generation;

/// <summary>Turns values into C# source text: literals and XML documentation text. Roslyn-free and culture-invariant.</summary>
internal static class CSharpText
{
    /// <summary>An <see cref="int"/> literal, invariant culture.</summary>
    public static string Literal(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A regular string literal with every character that could end or break it escaped.</summary>
    public static string Literal(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\0': builder.Append("\\0"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\v': builder.Append("\\v"); break;
                default:
                    if (NeedsUnicodeEscape(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>
    /// Text for an XML documentation comment line: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped, and any
    /// character that would end the comment line (or is invisible) replaced by a space.
    /// </summary>
    public static string XmlDoc(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                default: builder.Append(NeedsUnicodeEscape(c) || char.IsControl(c) ? ' ' : c); break;
            }
        }

        return builder.ToString();
    }

    // Line terminators C# recognises besides \r and \n, other control and format characters, and lone surrogates.
    private static bool NeedsUnicodeEscape(char c) =>
        c < ' ' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029' ||
        char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
