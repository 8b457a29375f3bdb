using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework;

/// <summary>
/// Converts Microsoft.Extensions.AI chat messages into transcript messages and back, without loss.
/// </summary>
/// <remarks>
/// <para>A message becomes one transcript line: its role in <c>role</c>, its text (<see cref="ChatMessage.Text"/>, the
/// concatenated text contents) in <c>content</c>, so tools that know only role and text still read it. Everything else —
/// function calls with their arguments, function results, usage, reasoning, data, any other <see cref="AIContent"/>,
/// author, message id, creation time, additional properties — is kept in the line's <c>data</c> as
/// <c>{"chatMessage": &lt;the message serialized with the JSON options&gt;}</c>. A message that is nothing but one plain
/// text (e.g. <c>new ChatMessage(ChatRole.User, "hi")</c>) needs no <c>data</c> and gets none.</para>
/// <para>The usage of a response (<see cref="UsageDetails"/>) is kept beside the response's last message, as
/// <c>data.usage</c>; read it with <see cref="ReadUsage"/>.</para>
/// <para>Not kept: <c>RawRepresentation</c> (the provider's own object) and the <c>Exception</c> of a function call or result
/// (MEAI serializes neither; a function-invoking client puts the error's text in the result, which is kept), and the per-run
/// source attribution that Agent Framework adds to a request message's additional properties (the history provider adds it
/// again when the message is read back). Binary data is kept as a base64 <c>data:</c> URI. Values of type <see cref="object"/> (function arguments, function results,
/// additional properties) read back as <see cref="JsonElement"/>s that serialize to the same JSON.</para>
/// <para>Custom <see cref="AIContent"/> types are kept when the JSON options know them: start from
/// <c>new JsonSerializerOptions(AIJsonUtilities.DefaultOptions)</c> and call
/// <c>AddAIContentType&lt;TContent&gt;("discriminator")</c>. Writing a message with a content type the options do not
/// know throws <see cref="NotSupportedException"/>; reading a line whose <c>data</c> the options cannot read returns the
/// line's role and text.</para>
/// </remarks>
public static class ChatTranscript
{
    /// <summary>
    /// The transcript message of <paramref name="message"/>: role, text, and the whole message as <c>data</c> (see the remarks
    /// on <see cref="ChatTranscript"/>).
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="usage">Usage to keep beside the message (a response's usage, on its last message), or <see langword="null"/>.</param>
    /// <param name="jsonSerializerOptions">The options that serialize the message; <see langword="null"/> uses <see cref="AIJsonUtilities.DefaultOptions"/>.</param>
    /// <exception cref="NotSupportedException">The message holds a content type the options cannot serialize; the message names it.</exception>
    public static ReplyMessage ToReplyMessage(ChatMessage message, UsageDetails? usage = null, JsonSerializerOptions? jsonSerializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ReplyMessage(message.Role.Value, message.Text, MessageData.Write(message, usage, jsonSerializerOptions ?? AIJsonUtilities.DefaultOptions));
    }

    /// <summary>
    /// A reply whose <see cref="TaskReply.Text"/> is <paramref name="text"/> (it decides the route) and whose transcript is
    /// <paramref name="messages"/>, in order, with <paramref name="usage"/> kept beside the last message.
    /// </summary>
    /// <param name="text">The reply text; <see langword="null"/> is empty.</param>
    /// <param name="messages">Every message of the exchange: the request, then the response (tool calls and results included).</param>
    /// <param name="usage">The response's usage, or <see langword="null"/>.</param>
    /// <param name="jsonSerializerOptions">The options that serialize the messages; <see langword="null"/> uses <see cref="AIJsonUtilities.DefaultOptions"/>.</param>
    /// <exception cref="NotSupportedException">A message holds a content type the options cannot serialize; the message names it.</exception>
    public static TaskReply CreateReply(string? text, IEnumerable<ChatMessage> messages, UsageDetails? usage = null, JsonSerializerOptions? jsonSerializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var options = jsonSerializerOptions ?? AIJsonUtilities.DefaultOptions;
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var replyMessages = new ReplyMessage[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            var message = list[i] ?? throw new ArgumentException($"Message {i} is null.", nameof(messages));
            replyMessages[i] = new ReplyMessage(message.Role.Value, message.Text, MessageData.Write(message, i == list.Count - 1 ? usage : null, options));
        }

        return new TaskReply(text) { Messages = replyMessages };
    }

    /// <summary>
    /// The chat message a transcript message holds: the message kept in its <c>data</c>, or, when it has none (a line
    /// written by a task that returned text) or its <c>data</c> cannot be read with these options, a message with the
    /// line's role and text.
    /// </summary>
    /// <param name="message">A message read from a transcript.</param>
    /// <param name="jsonSerializerOptions">The options that read the message; <see langword="null"/> uses <see cref="AIJsonUtilities.DefaultOptions"/>.</param>
    public static ChatMessage ToChatMessage(TranscriptMessage message, JsonSerializerOptions? jsonSerializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return MessageData.ReadMessage(message.Data, jsonSerializerOptions ?? AIJsonUtilities.DefaultOptions)
            ?? new ChatMessage(new ChatRole(message.Role), message.Content);
    }

    /// <summary>Every message of <paramref name="transcript"/> as a chat message (see <see cref="ToChatMessage"/>), oldest first.</summary>
    /// <param name="transcript">A transcript read from a store.</param>
    /// <param name="jsonSerializerOptions">The options that read the messages; <see langword="null"/> uses <see cref="AIJsonUtilities.DefaultOptions"/>.</param>
    public static IReadOnlyList<ChatMessage> ToChatMessages(Transcript transcript, JsonSerializerOptions? jsonSerializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var messages = new ChatMessage[transcript.Messages.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = ToChatMessage(transcript.Messages[i], jsonSerializerOptions);
        }

        return messages;
    }

    /// <summary>The usage kept beside a transcript message (a response's last message), or <see langword="null"/>.</summary>
    /// <param name="message">A message read from a transcript.</param>
    /// <param name="jsonSerializerOptions">The options that read the usage; <see langword="null"/> uses <see cref="AIJsonUtilities.DefaultOptions"/>.</param>
    public static UsageDetails? ReadUsage(TranscriptMessage message, JsonSerializerOptions? jsonSerializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return MessageData.ReadUsage(message.Data, jsonSerializerOptions ?? AIJsonUtilities.DefaultOptions);
    }
}
