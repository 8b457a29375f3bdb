using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SessionKinds.Persistence.Json;

/// <summary>Reading single raw values leniently (the documented repair rules) and writing store files consistently.</summary>
internal static class JsonValues
{
    /// <summary>The largest epoch-millisecond timestamp accepted (9999-12-31T23:59:59.999Z); larger values are repaired.</summary>
    public const long MaxEpochMilliseconds = 253_402_300_799_999;

    /// <summary>Store files are indented, like the gateway's; transcript lines are compact.</summary>
    public static readonly JsonWriterOptions FileWriterOptions = new()
    {
        Indented = true,
        // Files are never embedded in HTML; keep non-ASCII text readable instead of \u-escaping it.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonWriterOptions LineWriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>An integer in 0..<see cref="MaxEpochMilliseconds"/> (an integral JSON number), otherwise <see langword="null"/>.</summary>
    public static long? ReadEpochMilliseconds(ReadOnlyMemory<byte> raw) =>
        TryReadInteger(raw, out var value) && value is >= 0 and <= MaxEpochMilliseconds ? value : null;

    /// <summary>An integer in 0..<see cref="int.MaxValue"/>, otherwise <see langword="null"/>.</summary>
    public static int? ReadCount(ReadOnlyMemory<byte> raw) =>
        TryReadInteger(raw, out var value) && value is >= 0 and <= int.MaxValue ? (int)value : null;

    /// <summary>An integral JSON number that fits in a long (1.7e12 counts; 1.5 does not).</summary>
    public static bool TryReadInteger(ReadOnlyMemory<byte> raw, out long value)
    {
        value = 0;
        var reader = new Utf8JsonReader(raw.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        if (reader.TryGetInt64(out value))
        {
            return true;
        }

        if (reader.TryGetDouble(out var d) && double.IsFinite(d) && d == Math.Floor(d) && d is >= long.MinValue and < long.MaxValue)
        {
            value = (long)d;
            return true;
        }

        return false;
    }

    /// <summary>The string value, or <see langword="null"/> when the raw value is not a string.</summary>
    /// <remarks>A string holding an unpaired surrogate escape (<c>"\uD800"</c>) cannot be decoded and also reads as <see langword="null"/>.</remarks>
    public static string? ReadString(ReadOnlyMemory<byte> raw)
    {
        var reader = new Utf8JsonReader(raw.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return null;
        }

        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static string? ReadString(RawJsonObject obj, string name) =>
        obj.TryGet(name, out var raw) ? ReadString(raw) : null;

    /// <summary>Serializes with <paramref name="write"/> into a buffer sized for <paramref name="sizeHint"/> bytes.</summary>
    public static ArrayBufferWriter<byte> Serialize<TState>(int sizeHint, JsonWriterOptions options, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, sizeHint));
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer, state);
        }

        return buffer;
    }
}
