using System.Text;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Files;

/// <summary>
/// <c>&lt;sessionId&gt;.jsonl</c> is append-only; a line that does not parse (torn by a crash, written by another tool,
/// nested too deep, invalid UTF-8) is skipped and counted, never fatal, and never merges with new lines.
/// </summary>
public sealed class TranscriptFileTests
{
    private const string Id = "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d";

    [Fact]
    public async Task A_torn_last_line_is_skipped_and_the_next_append_starts_a_new_line()
    {
        await using var f = FolderUnderTest.Create();
        var outcome = await f.RunAsync(SessionKind.User, "k", "first reply", prompt: "first");
        var path = f.Store.TranscriptPath(outcome.SessionId);
        File.AppendAllText(path, "{\"type\":\"message\",\"role\":\"assis");

        var torn = (await f.Store.ReadTranscriptAsync(outcome.SessionId))!;
        await f.RunAsync(SessionKind.User, "k", "second reply", prompt: "second");

        Assert.Equal(1, torn.SkippedLines);
        Assert.Equal(["first", "first reply"], torn.Messages.Select(m => m.Content));
        Assert.NotNull(torn.Header);
        var lines = File.ReadAllLines(path);
        Assert.Equal("{\"type\":\"message\",\"role\":\"assis", lines[3]);
        Assert.StartsWith("{\"type\":\"message\",\"role\":\"user\",\"content\":\"second\"", lines[4], StringComparison.Ordinal);
        var transcript = (await f.Store.ReadTranscriptAsync(outcome.SessionId))!;
        Assert.Equal(1, transcript.SkippedLines);
        Assert.Equal(["first", "first reply", "second", "second reply"], transcript.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task A_transcript_torn_inside_its_header_gets_a_new_header()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.SessionsPath, $$$"""{"k": {"sessionId": "{{{Id}}}", "kind": "user", "updatedAt": 1}}""");
        File.WriteAllText(f.File(Id + ".jsonl"), "{\"type\":\"sess");

        await f.RunAsync(SessionKind.User, "k", "reply");

        var transcript = (await f.Store.ReadTranscriptAsync(Id))!;
        Assert.Equal(new TranscriptHeader(Id, "k", SessionKind.User, Clock.Start), transcript.Header);
        Assert.Equal(1, transcript.SkippedLines);
        Assert.Equal(2, transcript.Messages.Count);
    }

    [Fact]
    public async Task An_empty_transcript_of_an_existing_session_gets_its_header_first()
    {
        await using var f = FolderUnderTest.Create();
        File.WriteAllText(f.SessionsPath, $$$"""{"k": {"sessionId": "{{{Id}}}", "kind": "user", "updatedAt": 1}}""");
        File.WriteAllText(f.File(Id + ".jsonl"), "");

        await f.RunAsync(SessionKind.User, "k", "reply", prompt: null);

        Assert.StartsWith("{\"type\":\"session\"", File.ReadAllText(f.File(Id + ".jsonl")), StringComparison.Ordinal);
        Assert.Equal(["reply"], (await f.Store.ReadTranscriptAsync(Id))!.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task Lines_that_do_not_parse_anywhere_are_skipped_and_lines_of_other_types_ignored()
    {
        await using var f = FolderUnderTest.Create();
        var outcome = await f.RunAsync(SessionKind.User, "k", "reply", prompt: null);
        var path = f.Store.TranscriptPath(outcome.SessionId);
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
        File.AppendAllBytes(path, [
            .. "not json\n"u8,
            .. "{\"type\":\"message\",\"role\":\"user\",\"content\":\""u8, 0xFF, .. "\"}\n"u8,
            .. "{\"type\":\"message\",\"role\":\"user\",\"content\":\"\\ud800\",\"ts\":1}\n"u8,
            .. Encoding.ASCII.GetBytes(nested + "\n"),
            .. "[1, 2]\n"u8,
            .. "{\"type\":\"message\"} {\"type\":\"message\"}\n"u8,
            .. "{\"type\":\"tool-call\",\"name\":\"search\"}\r\n"u8,
            .. "   \n\n"u8,
            .. "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"kept\",\"ts\":\"soon\",\"extra\":[1]}\n"u8,
        ]);

        var transcript = (await f.Store.ReadTranscriptAsync(outcome.SessionId))!;
        await f.RunAsync(SessionKind.User, "k", "second", prompt: null);

        Assert.Equal(6, transcript.SkippedLines);
        Assert.Equal([("reply", Clock.Start), ("kept", DateTimeOffset.UnixEpoch)], transcript.Messages.Select(m => (m.Content, m.Timestamp)));
        Assert.Equal(["reply", "kept", "second"], (await f.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages.Select(m => m.Content));
        Assert.Contains(nested, File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transcript_another_tool_grew_meanwhile_is_appended_to_at_its_end()
    {
        await using var f = FolderUnderTest.Create();
        var outcome = await f.RunAsync(SessionKind.User, "k", "one", prompt: null);
        File.AppendAllText(f.Store.TranscriptPath(outcome.SessionId), "{\"type\":\"message\",\"role\":\"tool\",\"content\":\"from another tool\",\"ts\":1}\n");

        await f.RunAsync(SessionKind.User, "k", "two", prompt: null);

        Assert.Equal(["one", "from another tool", "two"], (await f.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages.Select(m => m.Content));
    }
}
