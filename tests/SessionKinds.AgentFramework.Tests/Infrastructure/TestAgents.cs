using System.ComponentModel;
using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework.Tests.Infrastructure;

/// <summary>The agent the tests run: a ChatClientAgent over a scripted model, with the SessionKinds history and one tool.</summary>
internal static class TestAgents
{
    public const string Name = "assistant";

    /// <summary>What the inbox tool returns.</summary>
    public const string InboxResult = "2 unread: invoice from ACME (due today), lunch on Friday?";

    public static ChatClientAgent Create(IChatClient model, SessionStore store, JsonSerializerOptions? jsonSerializerOptions = null) =>
        new(model, new ChatClientAgentOptions
        {
            Name = Name,
            ChatHistoryProvider = new SessionKindsChatHistoryProvider(store, jsonSerializerOptions),
            ChatOptions = new ChatOptions { Tools = [AIFunctionFactory.Create(CheckInbox, "check_inbox")] },
        });

    /// <summary>An agent with Agent Framework's default (in-memory) history.</summary>
    public static ChatClientAgent WithoutSessionKindsHistory(IChatClient model) => new(model, new ChatClientAgentOptions { Name = Name });

    [Description("Lists unread mail in a folder.")]
    private static string CheckInbox(string folder, int limit) => InboxResult;
}
