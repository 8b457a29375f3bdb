using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SessionKinds.AgentFramework.Tests.Infrastructure;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Postgres;
using static SessionKinds.AgentFramework.Tests.Infrastructure.Expect;
using static SessionKinds.AgentFramework.Tests.Infrastructure.ScriptedChatClient;

namespace SessionKinds.AgentFramework.Tests.Transcripts;

/// <summary>
/// Transcripts keep the whole MEAI message: every content kind goes through a real store's transcript lines and reads
/// back into an equal message (same JSON, same content types), while each line stays readable by role and text.
/// </summary>
public sealed class RoundTripTests
{
    private const string Key = "agent:main:main";

    private static readonly DateTimeOffset Created = new(2026, 1, 5, 6, 59, 30, TimeSpan.Zero);

    /// <summary>One message of each shape an agent exchange has, with every kind of content MEAI serializes.</summary>
    private static List<ChatMessage> Exchange() =>
    [
        new(ChatRole.System, "You are a travel assistant."),
        new(ChatRole.User,
        [
            new TextContent("Which train is this?"),
            new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF }, "image/png") { Name = "ticket.png" },
            new UriContent(new Uri("https://example.org/timetable.pdf"), "application/pdf"),
        ])
        {
            AuthorName = "ada",
            CreatedAt = Created,
        },
        new(ChatRole.Assistant,
        [
            new TextReasoningContent("The ticket shows ICE 1001; check departures.") { ProtectedData = "opaque-reasoning-token" },
            new FunctionCallContent("call_7", "search_departures", new Dictionary<string, object?>
            {
                ["query"] = "ICE 1001",
                ["filters"] = new Dictionary<string, object?> { ["from"] = "Berlin Hbf", ["max"] = 3, ["direct"] = true, ["via"] = null },
                ["tags"] = new[] { "rail", "long-distance" },
                ["ratio"] = 0.25,
            }),
        ])
        {
            AuthorName = "assistant",
            MessageId = "msg-7",
            CreatedAt = Created.AddSeconds(2),
            AdditionalProperties = new() { ["model"] = "scripted-1", ["attempt"] = 2 },
        },
        new(ChatRole.Tool,
        [
            new FunctionResultContent("call_7", JsonSerializer.SerializeToElement(new[] { new { train = "ICE 1001", at = "07:34", platform = 4 } })),
        ]),
        new(ChatRole.Assistant,
        [
            new TextContent("ICE 1001 leaves at 07:34 from platform 4.")
            {
                Annotations = [new CitationAnnotation { Title = "timetable", Url = new Uri("https://example.org/timetable.pdf"), Snippet = "07:34 Gl. 4" }],
            },
            new UsageContent(new UsageDetails { InputTokenCount = 120, OutputTokenCount = 30, TotalTokenCount = 150, AdditionalCounts = new() { ["cachedInputTokens"] = 64 } }),
            new ErrorContent("Seat reservation service unavailable.") { ErrorCode = "503", Details = "retry later" },
            new HostedFileContent("file-123"),
        ])
        {
            AuthorName = "assistant",
            MessageId = "msg-8",
        },
    ];

    /// <summary>Every store engine of the conformance suite (PostgreSQL where a test server can run).</summary>
    public static TheoryData<string> Engines() => new(StoreEngines.Registered.Select(e => e.Name));

    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public async Task Every_content_kind_survives_the_store_and_reads_back_into_an_equal_message(string engine)
    {
        if (engine == "postgres")
        {
            PostgresServerOrSkip.Get();
        }

        var work = Directory.CreateTempSubdirectory("sessionkinds-af-engine-").FullName;
        try
        {
            await using var agent = StoreEngines.Get(engine).CreateAgent(work);
            await using var store = agent.Open(new StoreSettings(new FakeTimeProvider(AgentFolder.Start)));
            await AssertRoundTripAsync(store);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task AssertRoundTripAsync(SessionStore store)
    {
        var original = Exchange();
        var usage = new UsageDetails { InputTokenCount = 200, OutputTokenCount = 40, TotalTokenCount = 240, ReasoningTokenCount = 12 };

        var outcome = await store.CompleteAsync(
            store.StartSession(SessionKind.User, Key),
            ChatTranscript.CreateReply("ICE 1001 leaves at 07:34 from platform 4.", original, usage));
        var transcript = (await store.ReadTranscriptAsync(outcome.SessionId))!;
        var readBack = ChatTranscript.ToChatMessages(transcript);

        Assert.Equal(original.Select(Json.Of), readBack.Select(Json.Of));
        Assert.Equal(original.Select(ContentTypes), readBack.Select(ContentTypes));
        Assert.Equal(original.Select(m => m.Role), readBack.Select(m => m.Role));
        Assert.Equal(Created.AddSeconds(2), readBack[2].CreatedAt);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF }, ((DataContent)readBack[1].Contents[1]).Data.ToArray());

        // Usage of the response is kept beside its last message only.
        Assert.Equal(Json.Of(usage), Json.Of(ChatTranscript.ReadUsage(transcript.Messages[^1])!));
        Assert.All(transcript.Messages.SkipLast(1), m => Assert.Null(ChatTranscript.ReadUsage(m)));
    }

    [Fact]
    public async Task Function_arguments_read_back_as_JSON_values_with_the_same_JSON()
    {
        await using var folder = new AgentFolder();
        var original = Exchange();
        var outcome = await folder.Store.CompleteAsync(folder.Store.StartSession(SessionKind.User, Key), ChatTranscript.CreateReply("ok", original));

        var call = (FunctionCallContent)ChatTranscript.ToChatMessages((await folder.Store.ReadTranscriptAsync(outcome.SessionId))!)[2].Contents[1];

        Assert.Equal(("call_7", "search_departures"), (call.CallId, call.Name));
        var filters = Assert.IsType<JsonElement>(call.Arguments!["filters"]);
        Assert.Equal(3, filters.GetProperty("max").GetInt32());
        Assert.True(filters.GetProperty("direct").GetBoolean());
        Assert.Equal(JsonValueKind.Null, filters.GetProperty("via").ValueKind);
        Assert.Equal(0.25, Assert.IsType<JsonElement>(call.Arguments["ratio"]).GetDouble());
        Assert.Equal("""["rail","long-distance"]""", Assert.IsType<JsonElement>(call.Arguments["tags"]).GetRawText());
    }

    [Fact]
    public async Task Each_line_stays_readable_by_role_and_text_alone()
    {
        await using var folder = new AgentFolder();
        var original = Exchange();
        var outcome = await folder.Store.CompleteAsync(folder.Store.StartSession(SessionKind.User, Key), ChatTranscript.CreateReply("ok", original));

        var lines = folder.TranscriptLines(outcome.SessionId).Skip(1).ToList();

        Assert.Equal(original.Count, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            Assert.Equal("message", line.RootElement.GetProperty("type").GetString());
            Assert.Equal(original[i].Role.Value, line.RootElement.GetProperty("role").GetString());
            Assert.Equal(original[i].Text, line.RootElement.GetProperty("content").GetString());
        }

        // Only the plain system message does without data.
        Assert.Equal([false, true, true, true, true], lines.Select(l => l.Contains("\"data\":", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_plain_text_message_is_stored_as_role_and_text_only_and_reads_back_equal()
    {
        var reply = ChatTranscript.ToReplyMessage(new ChatMessage(ChatRole.User, "hi"));

        Assert.Equal(new ReplyMessage("user", "hi", null), reply);
        var readBack = ChatTranscript.ToChatMessage(new TranscriptMessage("user", "hi", AgentFolder.Start));
        Assert.Equal(Json.Of(new ChatMessage(ChatRole.User, "hi")), Json.Of(readBack));
    }

    [Fact]
    public void The_run_attribution_Agent_Framework_adds_is_not_stored_and_other_properties_are()
    {
        var message = new ChatMessage(ChatRole.User, "Memory: Ada likes window seats.") { AdditionalProperties = new() { ["origin"] = "memory" } }
            .WithAgentRequestMessageSource(AgentRequestMessageSourceType.AIContextProvider, "MemoryProvider");

        var reply = ChatTranscript.ToReplyMessage(message);

        Assert.Equal(
            """{"chatMessage":{"role":"user","contents":[{"$type":"text","text":"Memory: Ada likes window seats."}],"additionalProperties":{"origin":"memory"}}}""",
            reply.Data);
        Assert.True(message.AdditionalProperties!.ContainsKey(AgentRequestMessageSourceAttribution.AdditionalPropertiesKey)); // the caller's message is untouched
    }

    [Fact]
    public void A_custom_content_type_survives_with_options_that_know_it()
    {
        var options = CardContent.Options();
        var message = new ChatMessage(ChatRole.Assistant, [new TextContent("Your boarding pass:"), new CardContent { Title = "ICE 1001", Seats = [41, 42] }]);

        var reply = ChatTranscript.ToReplyMessage(message, jsonSerializerOptions: options);
        var readBack = ChatTranscript.ToChatMessage(new TranscriptMessage(reply.Role, reply.Content, AgentFolder.Start, reply.Data), options);

        var card = Assert.IsType<CardContent>(readBack.Contents[1]);
        Assert.Equal("ICE 1001", card.Title);
        Assert.Equal([41, 42], card.Seats!);
        Assert.Contains("\"$type\":\"card\"", reply.Data, StringComparison.Ordinal);

        // Options that do not know the type read the line's role and text instead of failing.
        var plain = ChatTranscript.ToChatMessage(new TranscriptMessage(reply.Role, reply.Content, AgentFolder.Start, reply.Data));
        Assert.Equal(Json.Of(new ChatMessage(ChatRole.Assistant, "Your boarding pass:")), Json.Of(plain));
    }

    [Fact]
    public void A_content_type_the_options_do_not_know_cannot_be_stored_and_the_error_says_how_to_register_it()
    {
        var message = new ChatMessage(ChatRole.Assistant, [new CardContent { Title = "ICE 1001" }]);

        var ex = Assert.Throws<NotSupportedException>(() => ChatTranscript.ToReplyMessage(message));

        Assert.Contains(typeof(CardContent).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddAIContentType", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_reply_with_an_unregistered_content_type_fails_the_run_and_nothing_is_stored()
    {
        await using var folder = new AgentFolder();
        var model = new ScriptedChatClient((_, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Pass:"), new CardContent { Title = "x" }]))));

        await Assert.ThrowsAsync<NotSupportedException>(async () => await folder.Store.RunAsync(new ChatTurn(TestAgents.Create(model, folder.Store)), Key, "Boarding pass?"));

        NothingWritten(folder);
    }

    [Fact]
    public async Task An_agent_with_options_that_know_a_custom_type_stores_it_and_reads_it_back_as_history()
    {
        await using var folder = new AgentFolder();
        var options = CardContent.Options();
        var model = new ScriptedChatClient(
            (_, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Pass:"), new CardContent { Title = "ICE 1001", Seats = [7] }]))),
            Say("Seat 7.", "m2"));

        await folder.Store.RunAsync(new ChatTurn(TestAgents.Create(model, folder.Store, options)), Key, "Boarding pass?");
        await folder.Store.RunAsync(new ChatTurn(TestAgents.Create(model, folder.Store, options)), Key, "Which seat?");

        Assert.Contains("""{"$type":"card","title":"ICE 1001","seats":[7]}""", model.Calls[1][1], StringComparison.Ordinal);
    }

    [Fact]
    public void Data_from_another_framework_reads_as_role_and_text()
    {
        var message = new TranscriptMessage("assistant", "hello", AgentFolder.Start, """{"openai":{"id":"resp_1"}}""");

        Assert.Equal(Json.Of(new ChatMessage(ChatRole.Assistant, "hello")), Json.Of(ChatTranscript.ToChatMessage(message)));
        Assert.Null(ChatTranscript.ReadUsage(message));
    }

    private static string ContentTypes(ChatMessage message) => string.Join(",", message.Contents.Select(c => c.GetType().Name));
}
