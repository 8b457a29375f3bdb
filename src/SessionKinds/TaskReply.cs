namespace SessionKinds;

/// <summary>The model's reply to one run of a task; its text decides the route (ack, alert, silent, output).</summary>
public sealed record TaskReply
{
    /// <summary>Creates a reply; <see langword="null"/> text is treated as empty.</summary>
    public TaskReply(string? text)
    {
        Text = text ?? string.Empty;
    }

    /// <summary>The reply text, never <see langword="null"/>.</summary>
    public string Text { get; }

    /// <summary>Wraps a reply text.</summary>
    public static implicit operator TaskReply(string? text) => new(text);
}
