using System.Text.Json;
using System.Text.Json.Nodes;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// What a transcript records: the prompt and the reply, or the reply's own messages with the JSON they carry beside
/// their text, exactly; appended in order when a key continues; unsafe text made safe.
/// </summary>
public sealed class TranscriptTests
{
    private const string ToolCall = """{"toolCalls":[{"id":"call_1","name":"search","arguments":{"q":"flights LIS→BER","max":3}}],"usage":{"input":1234,"output":56}}""";
    private const string ToolResult = """[{"flight":"TP 540","price":189.50,"seats":null,"tags":["direct","\u00e9t\u00e9"]},1e3,-0.0,"\ud83d\ude00"]""";

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Reply_messages_replace_the_prompt_and_text_and_keep_their_data_exactly(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var handle = s.Store.StartSession<ChatTurn>("agent:main:main", "this prompt is not recorded: the messages carry it");
        s.Time.Advance(TimeSpan.FromSeconds(2));
        var reply = new TaskReply("Found 3 flights.")
        {
            Messages =
            [
                new ReplyMessage("user", "Find me a flight to Berlin"),
                new ReplyMessage("assistant", "", ToolCall),
                new ReplyMessage("tool", "3 results", ToolResult),
                new ReplyMessage("assistant", "Found 3 flights.", "\"plain string data\""),
                new ReplyMessage("system", "numbers and literals are JSON too", "42"),
                new ReplyMessage("x-custom-role", "a framework's own role", "null"),
            ],
        };

        var outcome = await s.Store.CompleteAsync(handle, reply);

        var at = Clock.Start.AddSeconds(2);
        var transcript = (await s.Store.ReadTranscriptAsync(outcome.SessionId))!;
        Assert.Equal(
            [
                new TranscriptMessage("user", "Find me a flight to Berlin", at),
                new TranscriptMessage("assistant", "", at, ToolCall),
                new TranscriptMessage("tool", "3 results", at, ToolResult),
                new TranscriptMessage("assistant", "Found 3 flights.", at, "\"plain string data\""),
                new TranscriptMessage("system", "numbers and literals are JSON too", at, "42"),
                new TranscriptMessage("x-custom-role", "a framework's own role", at, "null"),
            ],
            transcript.Messages);
        Assert.Equal(0, transcript.SkippedLines);

        // A continuation without messages records the prompt and text as usual, after them.
        await s.RunAsync<ChatTurn>("agent:main:main", "You're welcome.", prompt: "thanks");
        Assert.Equal(
            [("user", "thanks", null), ("assistant", "You're welcome.", null)],
            (await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages.Skip(6).Select(m => (m.Role, m.Content, m.Data)));
    }

    public static TheoryData<string, string> EnginesAndData()
    {
        var data = new TheoryData<string, string>();
        string[] shapes =
        [
            "{\n  \"pretty\": true,\r\n  \"list\": [\n    1,\n    2\n  ]\n}\n",
            "\t[ 1 ,\t2 ]  ",
            new string('[', 255) + new string(']', 255),
        ];
        foreach (var engine in StoreEngines.Registered)
        {
            foreach (var shape in shapes)
            {
                data.Add(engine.Name, shape);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesAndData))]
    public async Task Data_that_is_valid_json_in_any_layout_reads_back_as_the_same_json(string engine, string data)
    {
        await using var s = StoreUnderTest.Create(engine);
        var reply = new TaskReply("done") { Messages = [new ReplyMessage("tool", "result", data), new ReplyMessage("assistant", "done")] };

        var outcome = await s.Store.CompleteAsync(s.Store.StartSession<Research>("agent:main:sub"), reply);

        var transcript = (await s.Store.ReadTranscriptAsync(outcome.SessionId))!;
        Assert.Equal(0, transcript.SkippedLines);
        Assert.Equal(["result", "done"], transcript.Messages.Select(m => m.Content));
        var read = transcript.Messages[0].Data;
        Assert.NotNull(read);
        var options = new JsonDocumentOptions { MaxDepth = 1024 };
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(data, documentOptions: options), JsonNode.Parse(read, documentOptions: options)),
            $"the data read back is not the JSON written: {read}");
        Assert.Null(transcript.Messages[1].Data);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Invalid_reply_messages_are_refused_before_anything_is_written_and_the_session_can_be_completed_after(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var handle = s.Store.StartSession<ChatTurn>("agent:main:main", "hi");
        var before = await s.SnapshotAsync();

        (string What, TaskReply Reply, string Expected)[] invalid =
        [
            ("data that is not JSON", new TaskReply("x") { Messages = [new ReplyMessage("tool", "r", "{not json")] }, "Messages[0].Data is not one JSON value"),
            ("two JSON values", new TaskReply("x") { Messages = [new ReplyMessage("user", "u"), new ReplyMessage("tool", "r", "{} {}")] }, "Messages[1].Data is not one JSON value"),
            ("empty data", new TaskReply("x") { Messages = [new ReplyMessage("tool", "r", "")] }, "Messages[0].Data is not one JSON value"),
            ("data nested too deep", new TaskReply("x") { Messages = [new ReplyMessage("tool", "r", new string('[', 300) + new string(']', 300))] }, "Messages[0].Data is not one JSON value"),
            ("an empty role", new TaskReply("x") { Messages = [new ReplyMessage(" ", "r")] }, "Messages[0] has no role"),
            ("a null message", new TaskReply("x") { Messages = [new ReplyMessage("user", "u"), null!] }, "Messages[1] is null"),
        ];
        foreach (var (what, reply, expected) in invalid)
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await s.Store.CompleteAsync(handle, reply));
            Assert.True(ex.Message.Contains(expected, StringComparison.Ordinal), $"{what}: {ex.Message}");
            Assert.Equal("reply", ex.ParamName);
            Assert.False(handle.IsCompleted, what);
        }

        await s.AssertUnchangedSinceAsync(before, "invalid reply messages are refused");
        var outcome = await s.Store.CompleteAsync(handle, new TaskReply("fine") { Messages = [new ReplyMessage("assistant", "fine", "{}")] });
        Assert.Equal("{}", Assert.Single((await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages).Data);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Messages_of_a_reply_the_route_does_not_persist_are_not_recorded(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var messages = new[] { new ReplyMessage("assistant", "HEARTBEAT_OK", ToolCall) };

        var ack = await s.Store.CompleteAsync(s.Store.StartSession<InboxCheck>("agent:main:hb"), new TaskReply("HEARTBEAT_OK") { Messages = messages });
        var silent = await s.Store.CompleteAsync(s.Store.StartSession<MorningBrief>("cron:brief"), new TaskReply("NO_REPLY") { Messages = messages });

        Assert.Null(await s.Store.ReadTranscriptAsync(ack.SessionId));
        Assert.Null(await s.Store.ReadTranscriptAsync(silent.SessionId));
        Assert.Empty(await s.Store.ReadSessionsAsync());
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Text_with_unpaired_surrogates_is_recorded_with_replacement_characters(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);

        var outcome = await s.RunAsync(SessionKind.User, "k", "half an emoji \uD83D", prompt: "\uDE00 tail");
        var messages = await s.Store.CompleteAsync(
            s.Store.StartSession(SessionKind.User, "k"),
            new TaskReply("x") { Messages = [new ReplyMessage("tool\uD800", "content \uDFFF", "[\"\\ud800 escaped\", \"raw \uD800\"]")] });

        var transcript = (await s.Store.ReadTranscriptAsync(outcome.SessionId))!;
        Assert.Equal(["\uFFFD tail", "half an emoji \uFFFD", "content \uFFFD"], transcript.Messages.Select(m => m.Content));
        Assert.Equal("tool\uFFFD", transcript.Messages[2].Role);
        Assert.Equal("[\"\\ud800 escaped\", \"raw \uFFFD\"]", transcript.Messages[2].Data);
        Assert.Equal(outcome.SessionId, messages.SessionId);
        Assert.Equal(0, transcript.SkippedLines);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Transcripts_are_read_only_by_uuid(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);

        foreach (var id in new[] { "../../etc/passwd", "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4", "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4dx", "0b0c8f4e_5b7a_4c1e_9d55_8c1f0a2b3c4d", "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4g", "{0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d}", "" })
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await s.Store.ReadTranscriptAsync(id));
            Assert.Equal("sessionId", ex.ParamName);
        }

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await s.Store.ReadTranscriptAsync(null!));
        Assert.Null(await s.Store.ReadTranscriptAsync("0B0C8F4E-5B7A-4C1E-9D55-8C1F0A2B3C4D"));
    }
}
