using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Transcripts are append-only; a line torn by a crash is skipped, never fatal, and never merges with new data.</summary>
public class TranscriptTests
{
    [Fact]
    public void A_torn_last_line_is_skipped_by_readers()
    {
        using var f = new StoreFixture();
        var outcome = f.Run(SessionKind.User, "k", "first reply", prompt: "first");
        var path = f.Store.TranscriptPath(outcome.SessionId);
        File.AppendAllText(path, "{\"type\":\"message\",\"role\":\"assis");

        var transcript = f.Store.ReadTranscript(outcome.SessionId)!;

        Assert.Equal(1, transcript.SkippedLines);
        Assert.Equal(["first", "first reply"], transcript.Messages.Select(m => m.Content));
        Assert.NotNull(transcript.Header);
    }

    [Fact]
    public void Appending_after_a_torn_line_starts_a_new_line()
    {
        using var f = new StoreFixture();
        var outcome = f.Run(SessionKind.User, "k", "first reply", prompt: "first");
        var path = f.Store.TranscriptPath(outcome.SessionId);
        File.AppendAllText(path, "{\"type\":\"message\",\"role\":\"assis");

        f.Run(SessionKind.User, "k", "second reply", prompt: "second");

        var lines = File.ReadAllLines(path);
        Assert.Equal("{\"type\":\"message\",\"role\":\"assis", lines[3]);
        Assert.StartsWith("{\"type\":\"message\",\"role\":\"user\",\"content\":\"second\"", lines[4], StringComparison.Ordinal);
        var transcript = f.Store.ReadTranscript(outcome.SessionId)!;
        Assert.Equal(1, transcript.SkippedLines);
        Assert.Equal(["first", "first reply", "second", "second reply"], transcript.Messages.Select(m => m.Content));
    }

    [Fact]
    public void A_transcript_torn_inside_its_header_gets_a_new_header()
    {
        using var f = new StoreFixture();
        const string id = "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d";
        File.WriteAllText(f.SessionsPath, $$$"""{"k": {"sessionId": "{{{id}}}", "kind": "user", "updatedAt": 1}}""");
        File.WriteAllText(f.Temp.File(id + ".jsonl"), "{\"type\":\"sess");

        f.Run(SessionKind.User, "k", "reply");

        var transcript = f.Store.ReadTranscript(id)!;
        Assert.Equal("k", transcript.Header!.Key);
        Assert.Equal(1, transcript.SkippedLines);
        Assert.Equal(2, transcript.Messages.Count);
    }

    [Fact]
    public void Invalid_lines_anywhere_and_invalid_utf8_are_skipped()
    {
        using var f = new StoreFixture();
        var outcome = f.Run(SessionKind.User, "k", "reply", prompt: null);
        var path = f.Store.TranscriptPath(outcome.SessionId);
        File.AppendAllBytes(path, [.. "not json\n"u8, .. "{\"type\":\"message\",\"role\":\"user\",\"content\":\""u8, 0xFF, .. "\"}\n"u8, .. "\n"u8]);

        var transcript = f.Store.ReadTranscript(outcome.SessionId)!;

        Assert.Equal(2, transcript.SkippedLines);
        Assert.Equal(["reply"], transcript.Messages.Select(m => m.Content));
    }

    [Fact]
    public void Text_with_unpaired_surrogates_is_written_not_fatal()
    {
        using var f = new StoreFixture();

        var outcome = f.Run(SessionKind.User, "k", "half an emoji \uD83D", prompt: "\uDE00 tail");

        var transcript = f.Store.ReadTranscript(outcome.SessionId)!;
        Assert.Equal(["\uFFFD tail", "half an emoji \uFFFD"], transcript.Messages.Select(m => m.Content));
    }

    [Fact]
    public void A_missing_transcript_reads_as_null()
    {
        using var f = new StoreFixture();

        Assert.Null(f.Store.ReadTranscript(Guid.NewGuid().ToString()));
    }
}
