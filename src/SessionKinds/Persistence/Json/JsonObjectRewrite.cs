using System.Text.Json;

namespace SessionKinds.Persistence.Json;

/// <summary>
/// The one merge-preserving rewrite of a JSON object, used for every object the stores rewrite (a session entry, the
/// session index, the heartbeat state, a ring, the cron run record): members named in the edits are replaced in
/// place or removed, every other member is copied byte for byte, and edited members the object did not have are
/// appended in the order they were set. So fields written by other tools survive every rewrite.
/// </summary>
internal sealed class JsonObjectRewrite
{
    private readonly List<Edit> _edits = new(4);

    /// <summary>Sets <paramref name="name"/> to a number.</summary>
    public JsonObjectRewrite Set(string name, long value) => Add(new Edit(name, EditKind.Number, value, null, default, null));

    /// <summary>Sets <paramref name="name"/> to a string, or removes the member when <paramref name="value"/> is <see langword="null"/>.</summary>
    public JsonObjectRewrite Set(string name, string? value) =>
        Add(value is null ? new Edit(name, EditKind.Remove, 0, null, default, null) : new Edit(name, EditKind.String, 0, value, default, null));

    /// <summary>Sets <paramref name="name"/> to a number, or removes the member when <paramref name="value"/> is <see langword="null"/>.</summary>
    public JsonObjectRewrite Set(string name, long? value) =>
        value is long v ? Set(name, v) : Add(new Edit(name, EditKind.Remove, 0, null, default, null));

    /// <summary>Sets <paramref name="name"/> to a JSON value given as raw UTF-8 (already valid JSON).</summary>
    public JsonObjectRewrite SetRaw(string name, ReadOnlyMemory<byte> rawJson) => Add(new Edit(name, EditKind.Raw, 0, null, rawJson, null));

    /// <summary>Sets <paramref name="name"/> to the value <paramref name="writeValue"/> writes (exactly one JSON value).</summary>
    public JsonObjectRewrite SetWith(string name, Action<Utf8JsonWriter> writeValue) => Add(new Edit(name, EditKind.Writer, 0, null, default, writeValue));

    /// <summary>
    /// Writes <paramref name="source"/> (or an empty object when <see langword="null"/>) with the edits applied. When
    /// <paramref name="keep"/> is given, members it rejects are left out (edited members included).
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer, RawJsonObject? source, Func<string, bool>? keep = null)
    {
        Span<bool> done = _edits.Count <= 16 ? stackalloc bool[_edits.Count] : new bool[_edits.Count];
        writer.WriteStartObject();
        if (source is not null)
        {
            foreach (var member in source.Members)
            {
                var index = IndexOf(member.Name);
                if (keep is not null && !keep(member.Name))
                {
                    if (index >= 0)
                    {
                        done[index] = true;
                    }

                    continue;
                }

                if (index < 0)
                {
                    writer.WritePropertyName(member.Name);
                    writer.WriteRawValue(member.Value.Span, skipInputValidation: true);
                    continue;
                }

                done[index] = true;
                _edits[index].WriteMember(writer);
            }
        }

        for (var i = 0; i < _edits.Count; i++)
        {
            if (!done[i] && (keep is null || keep(_edits[i].Name)))
            {
                _edits[i].WriteMember(writer);
            }
        }

        writer.WriteEndObject();
    }

    private JsonObjectRewrite Add(Edit edit)
    {
        var index = IndexOf(edit.Name);
        if (index >= 0)
        {
            _edits[index] = edit;
        }
        else
        {
            _edits.Add(edit);
        }

        return this;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _edits.Count; i++)
        {
            if (string.Equals(_edits[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private enum EditKind
    {
        Remove,
        Number,
        String,
        Raw,
        Writer,
    }

    private readonly record struct Edit(string Name, EditKind Kind, long Number, string? Text, ReadOnlyMemory<byte> Raw, Action<Utf8JsonWriter>? Writer)
    {
        public void WriteMember(Utf8JsonWriter writer)
        {
            switch (Kind)
            {
                case EditKind.Remove:
                    return;
                case EditKind.Number:
                    writer.WriteNumber(Name, Number);
                    return;
                case EditKind.String:
                    writer.WriteString(Name, Text);
                    return;
                case EditKind.Raw:
                    writer.WritePropertyName(Name);
                    writer.WriteRawValue(Raw.Span, skipInputValidation: true);
                    return;
                default:
                    writer.WritePropertyName(Name);
                    Writer!(writer);
                    return;
            }
        }
    }
}
