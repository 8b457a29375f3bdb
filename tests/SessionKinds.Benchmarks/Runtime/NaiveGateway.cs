using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.Runtime;

/// <summary>
/// The write path gateways used before SessionKinds, for every session whatever its kind: parse the whole
/// <c>sessions.json</c> (<see cref="JsonNode"/>, the .NET counterpart of <c>JSON.parse</c>), set the session's entry,
/// serialize the whole store indented and replace the file atomically (temp + flush + rename), then append the run to
/// the session's transcript (<c>appendFile</c>: one write, not flushed to disk, as the gateway did).
/// </summary>
internal sealed class NaiveGateway(string folder)
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);

    public string SessionsPath { get; } = Path.Combine(folder, "sessions.json");

    /// <summary>
    /// Persists one completed session: its entry (<paramref name="entryJson"/> with the session's id and the time) and its
    /// transcript lines. When <paramref name="continueSession"/> and the key already has an entry, the session continues
    /// (same id, lines appended to its transcript); otherwise a new session id and transcript are created.
    /// </summary>
    public void Persist(string key, ReadOnlySpan<byte> entryJson, string prompt, string reply, long nowMs, bool continueSession = false)
    {
        var store = JsonNode.Parse(File.ReadAllBytes(SessionsPath))!.AsObject();
        var existing = continueSession && store[key] is JsonObject previous && previous["sessionId"] is JsonValue id ? id.GetValue<string>() : null;
        var sessionId = existing ?? Guid.NewGuid().ToString("D");
        var entry = JsonNode.Parse(entryJson)!.AsObject();
        entry["sessionId"] = sessionId;
        entry["updatedAt"] = nowMs;
        store[key] = entry;

        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer, Indented))
        {
            store.WriteTo(writer);
        }

        AtomicFile.Replace(SessionsPath, _buffer.WrittenSpan);

        var lines = new StringBuilder(256);
        if (existing is null)
        {
            lines.Append("{\"type\":\"session\",\"sessionId\":\"").Append(sessionId).Append("\",\"ts\":").Append(nowMs).Append("}\n");
        }

        lines.Append("{\"type\":\"message\",\"role\":\"user\",\"content\":").Append(JsonSerializer.Serialize(prompt)).Append(",\"ts\":").Append(nowMs).Append("}\n")
            .Append("{\"type\":\"message\",\"role\":\"assistant\",\"content\":").Append(JsonSerializer.Serialize(reply)).Append(",\"ts\":").Append(nowMs).Append("}\n");
        AtomicFile.Append(Path.Combine(folder, sessionId + ".jsonl"), Encoding.UTF8.GetBytes(lines.ToString()), flushToDisk: false);
    }
}
