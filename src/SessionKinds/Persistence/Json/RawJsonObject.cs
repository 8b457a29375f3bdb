using System.Text.Json;
using System.Text.Unicode;

namespace SessionKinds.Persistence.Json;

/// <summary>
/// A JSON object read as an ordered list of members whose values stay raw UTF-8 slices of the input, so a rewrite
/// can copy every member the store does not own byte for byte. A name that appears twice keeps its first
/// position and its last value ("last wins", like most JSON readers and the gateway's JSON5 reader).
/// </summary>
/// <remarks>
/// Input is read as strict JSON first. Input that is not strict JSON is read again with what the gateway's JSON5 reader
/// also took (<see cref="LenientJson"/>: comments and trailing commas); every value taken from such input is made strict
/// JSON, so what is written back is strict. Only input that neither reading takes is rejected.
/// </remarks>
internal sealed class RawJsonObject
{
    /// <summary>Nesting deeper than this is rejected as unreadable rather than risking unbounded work.</summary>
    public const int MaxDepth = 256;

    private readonly List<Member> _members;
    private readonly Dictionary<string, int> _positions;

    private RawJsonObject(int capacity)
    {
        _members = new List<Member>(capacity);
        _positions = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
    }

    public static RawJsonObject Empty() => new(0);

    public int Count => _members.Count;

    /// <summary>The length in bytes of the file this object was parsed from (0 when not parsed from a file).</summary>
    public int SourceLength { get; private set; }

    public IReadOnlyList<Member> Members => _members;

    /// <summary>
    /// Parses a whole file: a UTF-8 BOM is skipped, the bytes must be valid UTF-8 and hold exactly one JSON object, which
    /// may carry comments and trailing commas (left out of every value read).
    /// </summary>
    /// <exception cref="InvalidDataException">The content is not a single valid JSON object; the message says why.</exception>
    public static RawJsonObject ParseFile(ReadOnlyMemory<byte> content, string what) => ParseFile(content, what, null, out _);

    /// <summary>
    /// Like <see cref="ParseFile(ReadOnlyMemory{byte}, string)"/>, and when the member <paramref name="arrayMember"/> is an
    /// array, also returns its elements' raw slices from the same pass (<see langword="null"/> when the member is
    /// missing or not an array).
    /// </summary>
    public static RawJsonObject ParseFile(ReadOnlyMemory<byte> content, string what, string? arrayMember, out List<ReadOnlyMemory<byte>>? elements)
    {
        elements = null;
        var utf8 = SkipBom(content);
        if (utf8.IsEmpty || utf8.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new InvalidDataException("the file is empty");
        }

        if (!Utf8.IsValid(utf8.Span))
        {
            throw new InvalidDataException("the file is not valid UTF-8");
        }

        try
        {
            return ParseTop(utf8, what, arrayMember, out elements, content.Length, lenient: false);
        }
        catch (JsonException)
        {
            // Not strict JSON: read it the way the gateway did (comments, trailing commas), or report why not.
        }

        try
        {
            return ParseTop(utf8, what, arrayMember, out elements, content.Length, lenient: true);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    private static RawJsonObject ParseTop(ReadOnlyMemory<byte> utf8, string what, string? arrayMember, out List<ReadOnlyMemory<byte>>? elements, int sourceLength, bool lenient)
    {
        elements = null;
        var reader = new Utf8JsonReader(utf8.Span, lenient ? LenientJson.Lenient : LenientJson.Strict);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException($"{what} must be a JSON object, but the file holds {Describe(reader.TokenType)}");
        }

        var result = ReadMembers(ref reader, utf8, arrayMember, ref elements, lenient);
        if (reader.Read())
        {
            throw new InvalidDataException("there is more content after the JSON object");
        }

        result.SourceLength = sourceLength;
        return result;
    }

    /// <summary>Reads a raw value that came out of a parsed file; <see langword="false"/> when it is not an object.</summary>
    /// <remarks>An object whose member names cannot be decoded (an unpaired <c>\uD800</c> escape) counts as not an object: it stays opaque, copied raw.</remarks>
    public static bool TryParseValue(ReadOnlyMemory<byte> raw, out RawJsonObject value) =>
        TryParseValue(raw, lenient: false, out value) || TryParseValue(raw, lenient: true, out value);

    private static bool TryParseValue(ReadOnlyMemory<byte> raw, bool lenient, out RawJsonObject value)
    {
        value = Empty();
        try
        {
            var reader = new Utf8JsonReader(raw.Span, lenient ? LenientJson.Lenient : LenientJson.Strict);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            List<ReadOnlyMemory<byte>>? none = null;
            value = ReadMembers(ref reader, raw, null, ref none, lenient);
            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException)
        {
            value = Empty();
            return false;
        }
    }

    public bool TryGet(string name, out ReadOnlyMemory<byte> raw)
    {
        if (_positions.TryGetValue(name, out var index))
        {
            raw = _members[index].Value;
            return true;
        }

        raw = default;
        return false;
    }

    public bool Contains(string name) => _positions.ContainsKey(name);

    /// <summary>Sets a member: replaces the value in place when the name exists, otherwise appends it.</summary>
    public void Set(string name, ReadOnlyMemory<byte> raw)
    {
        if (_positions.TryGetValue(name, out var index))
        {
            _members[index] = new Member(name, raw);
        }
        else
        {
            _positions[name] = _members.Count;
            _members.Add(new Member(name, raw));
        }
    }

    private static RawJsonObject ReadMembers(ref Utf8JsonReader reader, ReadOnlyMemory<byte> source, string? arrayMember, ref List<ReadOnlyMemory<byte>>? elements, bool lenient)
    {
        var result = new RawJsonObject(8);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = ReadName(ref reader);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartArray && arrayMember is not null && name == arrayMember)
            {
                // Split the array in the same pass instead of skipping it and reading it again.
                var start = (int)reader.TokenStartIndex;
                var items = new List<ReadOnlyMemory<byte>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, source, lenient));
                }

                elements = items; // a later duplicate of the member wins, like its value
                var array = source[start..(int)reader.BytesConsumed];
                result.Set(name, lenient ? LenientJson.Normalize(array) : array);
                continue;
            }

            if (arrayMember is not null && name == arrayMember)
            {
                elements = null;
            }

            result.Set(name, ReadValue(ref reader, source, lenient));
        }

        return result;
    }

    private static string ReadName(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException($"a member name is not valid text ({ex.Message})", ex);
        }
    }

    /// <summary>The raw value the reader is on; from lenient input, made strict (only containers can hold comments or commas).</summary>
    private static ReadOnlyMemory<byte> ReadValue(ref Utf8JsonReader reader, ReadOnlyMemory<byte> source, bool lenient)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
            var container = source[start..(int)reader.BytesConsumed];
            return lenient ? LenientJson.Normalize(container) : container;
        }

        return source[start..(int)reader.BytesConsumed];
    }

    private static ReadOnlyMemory<byte> SkipBom(ReadOnlyMemory<byte> content) =>
        content.Span.StartsWith("\uFEFF"u8) ? content[3..] : content;

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>One member: its (unescaped) name and its raw UTF-8 value.</summary>
    public readonly record struct Member(string Name, ReadOnlyMemory<byte> Value);
}
