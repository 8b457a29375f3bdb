using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework;

/// <summary>
/// One run of a task on an agent session, kept in the session's state bag: whose history it reads (the session key and
/// kind, which a serialized agent session keeps) and, for the run in progress only, the history read and the messages held.
/// </summary>
internal sealed class TaskRun
{
    private readonly object _gate = new();
    private readonly List<ChatMessage> _held = [];
    private bool _invoked;

    [JsonConstructor]
    public TaskRun(string sessionKey, SessionKind kind)
    {
        SessionKey = sessionKey;
        Kind = kind;
    }

    /// <summary>The task's session key: history is read from the session stored under it.</summary>
    public string SessionKey { get; }

    /// <summary>The task's kind (informational: the store applies the route), written as on disk: <c>user</c>, <c>heartbeat</c>…</summary>
    [JsonConverter(typeof(KindNameConverter))]
    public SessionKind Kind { get; }

    /// <summary>The history read from the store for this run, once read.</summary>
    [JsonIgnore]
    public IReadOnlyList<ChatMessage>? StoredHistory { get; set; }

    /// <summary>The stored history followed by the messages held so far in this run.</summary>
    public List<ChatMessage> HistoryWithHeld(IReadOnlyList<ChatMessage> stored)
    {
        lock (_gate)
        {
            return [.. stored, .. _held];
        }
    }

    /// <summary>Holds the messages of a successful agent call.</summary>
    public void Hold(IEnumerable<ChatMessage> request, IEnumerable<ChatMessage> response)
    {
        lock (_gate)
        {
            _held.AddRange(request);
            _held.AddRange(response);
            _invoked = true;
        }
    }

    /// <summary>
    /// The reply of the run: the response's text decides the route; the transcript is what the provider held, or — when
    /// the agent did not use the provider (its service keeps the history) — the request followed by the response's messages.
    /// </summary>
    public TaskReply CreateReply(IEnumerable<ChatMessage> request, AgentResponse response, JsonSerializerOptions options)
    {
        List<ChatMessage> messages;
        lock (_gate)
        {
            messages = _invoked ? [.. _held] : [.. request, .. response.Messages];
        }

        return ChatTranscript.CreateReply(response.Text, messages, response.Usage, options);
    }
}

/// <summary>A session kind as its lower-case name, as stores write it.</summary>
internal sealed class KindNameConverter : JsonConverter<SessionKind>
{
    public override SessionKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Enum.TryParse<SessionKind>(reader.GetString(), ignoreCase: true, out var kind) ? kind : SessionKind.Unspecified;

    public override void Write(Utf8JsonWriter writer, SessionKind value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString().ToLowerInvariant());
}

/// <summary>Serializes a <see cref="TaskRun"/> when its agent session is serialized (session key and kind only).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TaskRun))]
internal sealed partial class TaskRunJsonContext : JsonSerializerContext;
