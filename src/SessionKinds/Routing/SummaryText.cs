using System.Text;

namespace SessionKinds;

/// <summary>
/// The one place that makes text safe to store and short enough for a summary: every summary a store records (ring
/// entries, the last alert in the heartbeat state, cron run records) comes from <see cref="Summarize"/>.
/// </summary>
internal static class SummaryText
{
    /// <summary>The longest summary, in UTF-16 characters; longer text is cut and ends with "…".</summary>
    public const int MaxChars = 200;

    /// <summary>Text made safe (<see cref="Sanitize"/>), trimmed, and shortened to <see cref="MaxChars"/> characters.</summary>
    public static string Summarize(string text)
    {
        text = Sanitize(text).Trim();
        if (text.Length <= MaxChars)
        {
            return text;
        }

        var cut = MaxChars - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }

    /// <summary>Unpaired surrogates (invalid UTF-16, which no JSON writer accepts) become U+FFFD; other text is returned as is.</summary>
    public static string Sanitize(string text)
    {
        var firstBad = FindUnpairedSurrogate(text);
        if (firstBad < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[i + 1]);
                i++;
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    private static int FindUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
