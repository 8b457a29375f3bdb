namespace SessionKinds;

/// <summary>
/// The model's reply to one run of a task. Its <see cref="Text"/> decides the route (ack, alert, silent, output);
/// what a persisted session records in its transcript is the prompt and this text, or <see cref="Messages"/> when set.
/// </summary>
public sealed record TaskReply
{
    /// <summary>Creates a reply; <see langword="null"/> text is treated as empty.</summary>
    public TaskReply(string? text)
    {
        Text = text ?? string.Empty;
    }

    /// <summary>The reply text, never <see langword="null"/>.</summary>
    public string Text { get; }

    /// <summary>
    /// The messages to record in the transcript instead of the prompt and <see cref="Text"/>, in order: for example the
    /// whole exchange with an agent framework, tool calls and results included. <see langword="null"/> (the default)
    /// records the prompt (when the session has one) as a <c>user</c> message and <see cref="Text"/> as the
    /// <c>assistant</c> message. Only sessions the route persists record anything.
    /// </summary>
    public IReadOnlyList<ReplyMessage>? Messages { get; init; }

    /// <summary>Wraps a reply text.</summary>
    public static implicit operator TaskReply(string? text) => new(text);
}

/// <summary>One message of a reply, as it will be recorded in the transcript.</summary>
/// <param name="Role">The speaker: <c>user</c>, <c>assistant</c>, <c>tool</c>, <c>system</c> or another role of the caller's framework.</param>
/// <param name="Content">The message's text (what a reader that only knows role and text shows).</param>
/// <param name="Data">
/// Optional JSON (one complete JSON value, typically an object) recorded beside the text, for content the text cannot carry:
/// tool calls and results, usage, the framework's own message. It is kept as written except that line breaks between
/// tokens become spaces (a transcript line is one line); <see langword="null"/> records none.
/// </param>
public sealed record ReplyMessage(string Role, string Content, string? Data = null);
