using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace AgentFrameworkAgent;

/// <summary>A mailbox the agent's tool reads; the sample drops an urgent mail into it halfway.</summary>
public sealed class Inbox
{
    private readonly List<string> _unread = [];

    public void Deliver(string mail) => _unread.Add(mail);

    [Description("Lists the unread mail in a mail folder.")]
    public string CheckInbox([Description("The folder, e.g. inbox.")] string folder) =>
        _unread.Count == 0 ? $"No unread mail in {folder}." : $"{_unread.Count} unread in {folder}: {string.Join("; ", _unread)}";
}

/// <summary>
/// A model without a network: it answers by rules, as a real model would be asked to. A question ("check the inbox",
/// "anything urgent?") makes it call the <c>CheckInbox</c> tool; the tool's result decides the answer; a follow-up is
/// answered from the conversation history it was sent. It counts the history it sees, so the sample can show it.
/// </summary>
public sealed class ScriptedModel : IChatClient
{
    private int _calls;

    /// <summary>How many messages before the newest user message the last call was sent (its history).</summary>
    public int LastHistoryCount { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var all = messages.ToList();
        var lastUser = all.FindLastIndex(m => m.Role == ChatRole.User);
        LastHistoryCount = lastUser;
        var id = $"msg-{++_calls}";
        var usage = new UsageDetails { InputTokenCount = 40 * all.Count, OutputTokenCount = 12, TotalTokenCount = 40 * all.Count + 12 };

        var last = all[^1];
        if (last.Role == ChatRole.Tool)
        {
            var result = last.Contents.OfType<FunctionResultContent>().Single().Result?.ToString() ?? string.Empty;
            var urgent = result.Contains("ACME", StringComparison.Ordinal);
            var text = all[lastUser].Text == InboxCheck.Question
                ? urgent ? "The ACME invoice (EUR 1,200) is due today." : "HEARTBEAT_OK"
                : urgent ? "Yes: the ACME invoice (EUR 1,200) is due today." : "Nothing urgent.";
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text) { MessageId = id }) { Usage = usage });
        }

        var question = last.Text;
        if (question == InboxCheck.Question || question.Contains("inbox", StringComparison.OrdinalIgnoreCase))
        {
            var call = new FunctionCallContent($"call_{_calls}", "CheckInbox", new Dictionary<string, object?> { ["folder"] = "inbox" });
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call]) { MessageId = id }) { Usage = usage });
        }

        // A follow-up: answered from the history (it knows about the invoice only if the history holds it).
        var knowsInvoice = all.Take(lastUser).Any(m => m.Text.Contains("ACME", StringComparison.Ordinal));
        var answer = knowsInvoice ? "I will remind you at noon to pay the ACME invoice." : "Remind you about what?";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer) { MessageId = id }) { Usage = usage });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted model does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
