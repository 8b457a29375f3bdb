using System.Text;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.PostgresEngine;

/// <summary>
/// Payloads a text or jsonb column would refuse or change: 10,000-deep JSON, U+0000, lone surrogate escapes, key order
/// and spacing, 10 MB replies. Each is either written exactly and read back exactly, or refused with a clear error and
/// nothing written; nothing stored before is lost.
/// </summary>
public sealed class HostilePayloadTests
{
    [SkippableFact]
    public async Task Data_nested_10000_deep_is_refused_before_anything_is_written_and_the_deepest_accepted_is_kept_exactly()
    {
        await using var s = PostgresTestSupport.Create();
        await s.RunAsync<ChatTurn>("agent:main:main", "hello");
        var before = await s.SnapshotAsync();

        var tooDeep = new string('[', 10_000) + new string(']', 10_000);
        var handle = s.Store.StartSession<ChatTurn>("agent:main:main", "deep");
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await s.Store.CompleteAsync(handle, Reply(tooDeep)));
        Assert.Contains("TaskReply.Messages[1].Data is not one JSON value", error.Message, StringComparison.Ordinal);
        await s.AssertUnchangedSinceAsync(before, "a 10,000-deep Data is refused");

        // The deepest Data accepted (255 levels; the line's own object makes 256) lands byte for byte.
        var deepest = new string('[', 253) + "{\"z\": 1,  \"a\": [true]}" + new string(']', 253);
        var outcome = await s.Store.CompleteAsync(handle, Reply(deepest));
        Assert.Equal(deepest, (await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages[^1].Data);
    }

    [SkippableFact]
    public async Task U0000_is_kept_in_transcripts_and_entries_as_its_JSON_escape_and_shown_as_U_FFFD_in_summaries()
    {
        await using var s = PostgresTestSupport.Create();
        var agent = s.Agent();

        var chat = await s.RunAsync<ChatTurn>("agent:main:main", new TaskReply("nul\0inside") { Messages = [new("user", "prompt\0x"), new("assistant", "nul\0inside", "{\"s\":\"a\\u0000b\"}")] });
        var transcript = (await s.Store.ReadTranscriptAsync(chat.SessionId))!;
        Assert.Equal(["prompt\0x", "nul\0inside"], transcript.Messages.Select(m => m.Content));
        Assert.Equal("{\"s\":\"a\\u0000b\"}", transcript.Messages[1].Data);
        Assert.Equal(2L, await agent.ScalarAsync<long>($"SELECT count(*) FROM {agent.QuotedSchema}.transcript_events WHERE agent_id = $1 AND strpos(line, '\\u0000') > 0", agent.AgentId));

        // Summaries are display text in text columns: U+0000 becomes U+FFFD there, as a lone surrogate already does.
        await s.RunAsync<InboxCheck>("agent:main:hb", "disk\0full");
        await s.RunAsync<MorningBrief>("cron:brief", "brief\0text");
        Assert.Equal("disk\uFFFDfull", Assert.Single((await s.Store.ReadHeartbeatRingAsync()).Entries).Summary);
        Assert.Equal("disk\uFFFDfull", (await s.Store.ReadHeartbeatStateAsync()).LastAlertSummary);
        Assert.Equal("brief\uFFFDtext", Assert.Single((await s.Store.ReadCronRunsAsync()).Runs).Summary);

        // Names are refused: a claimant with U+0000 cannot be stored, and nothing is.
        var before = await s.SnapshotAsync();
        var claim = await Assert.ThrowsAsync<ArgumentException>(async () => await s.Store.TryClaimOccurrenceAsync("TestAgent.MorningBrief", s.Time.GetUtcNow(), "node\0one", TimeSpan.FromMinutes(1)));
        Assert.Equal("claimant", claim.ParamName);
        Assert.Contains("U+0000", claim.Message, StringComparison.Ordinal);
        await s.AssertUnchangedSinceAsync(before, "a claimant with U+0000 is refused");
        Assert.Null(await s.Store.FindSessionAsync("agent\0main"));
    }

    [SkippableFact]
    public async Task Data_keeps_its_spacing_key_order_duplicates_number_spellings_and_lone_surrogate_escapes()
    {
        await using var s = PostgresTestSupport.Create();
        string[] data =
        [
            "{\"b\": 1,   \"a\": [1.50, 1e3, -0.0, 12345678901234567890], \"a\": \"duplicate\"}",
            "{\"broken\": \"\\ud83d\", \"emoji\": \"\\ud83d\\ude00\", \"escaped\": \"\\u00e9\\n\\t\\\"\"}",
            "\"just a string\"",
            "null",
        ];

        var outcome = await s.RunAsync<ChatTurn>("k", new TaskReply("r") { Messages = data.Select(d => new ReplyMessage("tool", "c", d)).ToList() });

        Assert.Equal(data, (await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages.Select(m => m.Data));
    }

    [SkippableFact]
    public async Task A_10_MB_reply_is_written_and_read_back_exactly_beside_what_was_there()
    {
        await using var s = PostgresTestSupport.Create();
        var first = await s.RunAsync<ChatTurn>("agent:main:main", "hello");
        var random = new Random(10);
        var builder = new StringBuilder(10 * 1024 * 1024);
        while (builder.Length < 10 * 1024 * 1024)
        {
            builder.Append("line ").Append(random.Next()).Append(" é😀\"\\\n");
        }

        var big = builder.ToString();
        var outcome = await s.RunAsync<ChatTurn>("agent:main:main", new TaskReply(big) { Messages = [new("assistant", big, "{\"size\": " + big.Length + "}")] });

        var messages = (await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages;
        Assert.Equal(first.SessionId, outcome.SessionId);
        Assert.Equal(["prompt", "hello", big], messages.Select(m => m.Content));
        Assert.Single(await s.Store.ReadSessionsAsync());
        Assert.Empty(await s.Agent().FindIntegrityProblemsAsync());
    }

    private static TaskReply Reply(string data) => new("deep") { Messages = [new("user", "deep"), new("tool", "result", data)] };
}
