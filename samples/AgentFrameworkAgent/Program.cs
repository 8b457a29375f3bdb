using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using SessionKinds;
using SessionKinds.AgentFramework;

namespace AgentFrameworkAgent;

/// <summary>
/// A heartbeat and a chat, both run by one Microsoft Agent Framework agent over a scripted model, stored in a temporary
/// agent folder: acknowledged heartbeats leave the history empty, the alert and the chat keep their tool calls, and the
/// chat continues after the store is reopened (as after a restart).
/// </summary>
public static class Program
{
    private const string HeartbeatKey = "agent:main:heartbeat";
    private const string ChatKey = "agent:main:main";

    public static async Task<int> Main()
    {
        var folder = Directory.CreateTempSubdirectory("sessionkinds-agentframework-").FullName;
        try
        {
            await RunAsync(folder);
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RunAsync(string folder)
    {
        var model = new ScriptedModel();
        var inbox = new Inbox();
        Console.WriteLine($"agent folder: {folder}");

        await using (var store = new FileSessionStore(folder))
        {
            var agent = CreateAgent(model, inbox, store);
            var history = new SessionKindsChatHistoryProvider(store);

            Console.WriteLine();
            Console.WriteLine("heartbeats (each one calls the CheckInbox tool):");
            for (var i = 1; i <= 3; i++)
            {
                var ack = await store.RunAsync(new InboxCheck(agent), HeartbeatKey);
                Console.WriteLine($"  #{i}  {ack.Verdict,-5}  stored history: {(await history.ReadHistoryAsync(HeartbeatKey)).Count} messages");
            }

            Console.WriteLine($"  files after 3 acks: {string.Join(", ", Files(folder))}");

            inbox.Deliver("invoice from ACME, EUR 1,200, due today");
            var alert = await store.RunAsync(new InboxCheck(agent), HeartbeatKey);
            Console.WriteLine($"  #4  {alert.Verdict,-5}  stored history: {Describe(await history.ReadHistoryAsync(HeartbeatKey))}");

            Console.WriteLine();
            Console.WriteLine("chat, first run:");
            var first = await store.RunAsync(new ChatTurn(agent), ChatKey, "Anything urgent in my inbox?");
            Console.WriteLine($"  session {first.SessionId}, model saw {model.LastHistoryCount} earlier messages");
        }

        await using (var store = new FileSessionStore(folder))
        {
            // A new process: a new store and a new agent; the history comes back from the agent folder.
            var agent = CreateAgent(model, inbox, store);
            Console.WriteLine();
            Console.WriteLine("chat, second run (store reopened):");
            var second = await store.RunAsync(new ChatTurn(agent), ChatKey, "Remind me at noon.");
            Console.WriteLine($"  session {second.SessionId} (continued: {second.ContinuedExistingSession}), model saw {model.LastHistoryCount} earlier messages");

            var transcript = (await store.ReadTranscriptAsync(second.SessionId))!;
            Console.WriteLine();
            Console.WriteLine("chat transcript, as chat messages read back:");
            foreach (var message in ChatTranscript.ToChatMessages(transcript))
            {
                Console.WriteLine($"  {message.Role,-9} {Show(message)}");
            }

            Console.WriteLine();
            Console.WriteLine("the tool call's transcript line:");
            var callLine = File.ReadLines(store.TranscriptPath(second.SessionId)).First(l => l.Contains("functionCall", StringComparison.Ordinal));
            Console.WriteLine($"  {callLine}");
            Console.WriteLine();
            Console.WriteLine($"files: {string.Join(", ", Files(folder).Select(f => f.Length > 40 ? f[..8] + "….jsonl" : f))}");
        }
    }

    private static ChatClientAgent CreateAgent(ScriptedModel model, Inbox inbox, SessionStore store) =>
        new(model, new ChatClientAgentOptions
        {
            Name = "assistant",
            ChatHistoryProvider = new SessionKindsChatHistoryProvider(store),
            ChatOptions = new ChatOptions { Tools = [AIFunctionFactory.Create(inbox.CheckInbox)] },
        });

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith(".sessionkinds.lock", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    private static string Describe(IReadOnlyList<ChatMessage> messages) =>
        $"{messages.Count} messages ({string.Join(", ", messages.Select(m => m.Contents.Any(c => c is FunctionCallContent) ? "assistant→tool call" : m.Role.Value))})";

    private static string Show(ChatMessage message) => string.Join(" ", message.Contents.Select(content => content switch
    {
        FunctionCallContent call => $"[call {call.Name}({string.Join(", ", call.Arguments?.Select(a => $"{a.Key}: {a.Value}") ?? [])}) {call.CallId}]",
        FunctionResultContent result => $"[result {result.CallId}: {result.Result}]",
        TextContent text => text.Text,
        _ => $"[{content.GetType().Name}]",
    }));
}
