using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SessionKinds.Tool.Store;

namespace SessionKinds.Tool.Inspect;

/// <summary>
/// The report for scripts (<c>inspect --json</c>). The shape is stable within a <c>schema</c> version; fields may be added,
/// never renamed or removed:
/// <code>
/// { "schema": "sessionkinds-inspect/1", "store": path, "folder": path, "bytes": n, "entries": n,
///   "kinds": { "user"|"heartbeat"|"cron"|"subagent"|"unknown": { "entries", "bytes", "inferred", "transcripts", "transcriptBytes" } },
///   "oldest"|"newest": { "key", "updatedAt": ms, "date": ISO 8601 } | null, "withoutUpdatedAt": n,
///   "biggest": [ { "key", "kind", "line", "bytes", "fields": [ { "name", "bytes" } ] } ],
///   "days": [ { "date": "yyyy-MM-dd", "entries", "bytes" } ],
///   "duplicates": [ { "key", "lines": [n] } ],
///   "unreferencedTranscripts": { "files", "bytes" } }
/// </code>
/// </summary>
internal static class InspectJson
{
    public const string Schema = "sessionkinds-inspect/1";

    public static void Write(Stream output, InspectReport report)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        w.WriteString("store", report.Location.SessionsPath);
        w.WriteString("folder", report.Location.Folder);
        w.WriteNumber("bytes", report.FileBytes);
        w.WriteNumber("entries", report.Entries);

        w.WriteStartObject("kinds");
        foreach (var (kind, figures) in report.Kinds)
        {
            w.WriteStartObject(KeyShapes.Name(kind));
            w.WriteNumber("entries", figures.Entries);
            w.WriteNumber("bytes", figures.Bytes);
            w.WriteNumber("inferred", figures.Inferred);
            w.WriteNumber("transcripts", figures.Transcripts);
            w.WriteNumber("transcriptBytes", figures.TranscriptBytes);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        WriteEnd(w, "oldest", report.Oldest);
        WriteEnd(w, "newest", report.Newest);
        w.WriteNumber("withoutUpdatedAt", report.WithoutUpdatedAt);

        w.WriteStartArray("biggest");
        foreach (var big in report.Biggest)
        {
            w.WriteStartObject();
            w.WriteString("key", big.Key);
            w.WriteString("kind", KeyShapes.Name(big.Kind));
            w.WriteNumber("line", big.Line);
            w.WriteNumber("bytes", big.Bytes);
            w.WriteStartArray("fields");
            foreach (var (name, bytes) in big.TopFields)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteNumber("bytes", bytes);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("days");
        foreach (var day in report.Days)
        {
            w.WriteStartObject();
            w.WriteString("date", day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteNumber("entries", day.Entries);
            w.WriteNumber("bytes", day.Bytes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("duplicates");
        foreach (var duplicate in report.Duplicates)
        {
            w.WriteStartObject();
            w.WriteString("key", duplicate.Key);
            w.WriteStartArray("lines");
            foreach (var line in duplicate.Lines)
            {
                w.WriteNumberValue(line);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("unreferencedTranscripts");
        w.WriteNumber("files", report.UnreferencedTranscripts);
        w.WriteNumber("bytes", report.UnreferencedTranscriptBytes);
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteEnd(Utf8JsonWriter w, string name, ScannedEntry? entry)
    {
        if (entry?.UpdatedAt is not long ms)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteString("key", entry.Key);
        w.WriteNumber("updatedAt", ms);
        w.WriteString("date", DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }
}
