using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SessionKinds.Persistence.Json;

/// <summary>
/// The shape of the bounded files (heartbeat rings, the cron run record): one JSON object whose list member holds the
/// entries oldest first, written one entry per line. Entries stay raw, so kept entries are copied byte for byte.
/// </summary>
internal static class JsonEntryList
{
    private static readonly byte[] NewLineAndElementIndent = Encoding.UTF8.GetBytes("," + Environment.NewLine + "    ");
    private static readonly byte[] NewLineAndArrayEnd = Encoding.UTF8.GetBytes(Environment.NewLine + "  ]");

    /// <summary>Parses a whole file; a missing list member reads as an empty list.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object, or the list member is not an array.</exception>
    public static (RawJsonObject Top, List<ReadOnlyMemory<byte>> Entries) Parse(ReadOnlyMemory<byte> content, string what, string listMember)
    {
        var top = RawJsonObject.ParseFile(content, what, listMember, out var entries);
        if (entries is null && top.Contains(listMember))
        {
            throw new InvalidDataException($"\"{listMember}\" must be an array");
        }

        return (top, entries ?? []);
    }

    /// <summary>Writes the list as a raw array value, one entry per line, indented for a top-level member.</summary>
    public static void WriteArray(Utf8JsonWriter writer, IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        var length = 8;
        foreach (var entry in entries)
        {
            length += entry.Length + 8;
        }

        var array = new ArrayBufferWriter<byte>(length);
        array.Write("["u8);
        for (var i = 0; i < entries.Count; i++)
        {
            array.Write(i == 0 ? NewLineAndElementIndent.AsSpan(1) : NewLineAndElementIndent);
            array.Write(entries[i].Span);
        }

        array.Write(entries.Count == 0 ? "]"u8 : NewLineAndArrayEnd);
        writer.WriteRawValue(array.WrittenSpan, skipInputValidation: true);
    }

    /// <summary>One compact entry object, as <paramref name="write"/> writes it.</summary>
    public static ReadOnlyMemory<byte> Entry<TState>(TState state, Action<Utf8JsonWriter, TState> write) =>
        JsonValues.Serialize(128, JsonValues.LineWriterOptions, state, write).WrittenMemory;
}
