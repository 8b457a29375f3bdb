using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework;

/// <summary>
/// The <c>data</c> of a transcript line that holds a chat message: <c>{"chatMessage": {…}, "usage": {…}}</c> (usage only on
/// a response's last message). The one place that writes and reads it.
/// </summary>
internal static class MessageData
{
    public const string ChatMessageProperty = "chatMessage";
    public const string UsageProperty = "usage";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Transcript lines keep non-ASCII text readable, like the rest of the line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The data of <paramref name="message"/>, or <see langword="null"/> when role and text say everything.</summary>
    public static string? Write(ChatMessage message, UsageDetails? usage, JsonSerializerOptions options)
    {
        var stored = WithoutRunAttribution(message);
        if (usage is null && IsPlainText(stored))
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(ChatMessageProperty);
            try
            {
                JsonSerializer.Serialize(writer, stored, TypeInfo<ChatMessage>(options));
            }
            catch (NotSupportedException ex)
            {
                var types = string.Join(", ", stored.Contents.Select(static c => c.GetType().FullName).Distinct());
                throw new NotSupportedException(
                    $"A {message.Role} message cannot be stored: the JSON options cannot serialize its contents ({types}). " +
                    "Register custom content types with options.AddAIContentType<TContent>(\"discriminator\") on a copy of " +
                    "AIJsonUtilities.DefaultOptions and pass those options to SessionKindsChatHistoryProvider.",
                    ex);
            }

            if (usage is not null)
            {
                writer.WritePropertyName(UsageProperty);
                JsonSerializer.Serialize(writer, usage, TypeInfo<UsageDetails>(options));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The message kept in <paramref name="data"/>, or <see langword="null"/> when there is none or it cannot be read.</summary>
    public static ChatMessage? ReadMessage(string? data, JsonSerializerOptions options) =>
        TryRead(data, ChatMessageProperty, TypeInfo<ChatMessage>(options));

    /// <summary>The usage kept in <paramref name="data"/>, or <see langword="null"/>.</summary>
    public static UsageDetails? ReadUsage(string? data, JsonSerializerOptions options) =>
        TryRead(data, UsageProperty, TypeInfo<UsageDetails>(options));

    private static T? TryRead<T>(string? data, string property, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (data is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(property, out var value)
                && value.ValueKind == JsonValueKind.Object
                    ? value.Deserialize(typeInfo)
                    : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Data from another framework, or a content type these options do not know: the line's role and text stand.
            return null;
        }
    }

    /// <summary>A message that <c>new ChatMessage(role, text)</c> rebuilds exactly.</summary>
    private static bool IsPlainText(ChatMessage message) =>
        message.AuthorName is null
        && message.CreatedAt is null
        && message.MessageId is null
        && message.AdditionalProperties is null or { Count: 0 }
        && message.Contents is [TextContent text]
        && text.GetType() == typeof(TextContent)
        && text.Annotations is null or { Count: 0 }
        && text.AdditionalProperties is null or { Count: 0 };

    /// <summary>
    /// The message without Agent Framework's per-run source attribution (where a request message came from in this run);
    /// the history provider stamps messages it reads back itself. The caller's message is never changed.
    /// </summary>
    private static ChatMessage WithoutRunAttribution(ChatMessage message)
    {
        if (message.AdditionalProperties is not { } properties || !properties.ContainsKey(AgentRequestMessageSourceAttribution.AdditionalPropertiesKey))
        {
            return message;
        }

        var copy = message.Clone();
        var remaining = new AdditionalPropertiesDictionary(properties);
        remaining.Remove(AgentRequestMessageSourceAttribution.AdditionalPropertiesKey);
        copy.AdditionalProperties = remaining.Count == 0 ? null : remaining;
        return copy;
    }

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
