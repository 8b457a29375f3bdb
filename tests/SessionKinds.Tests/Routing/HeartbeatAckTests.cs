namespace SessionKinds.Tests.Routing;

public class HeartbeatAckTests
{
    private static readonly string Note300 = "HEARTBEAT_OK " + new string('n', 300);
    private static readonly string Note301 = "HEARTBEAT_OK " + new string('n', 301);

    // reply, AckMaxChars, expected ack?, expected remaining text
    public static TheoryData<string?, int, bool, string> Replies => new()
    {
        // Bare tokens and empty replies.
        { "HEARTBEAT_OK", 300, true, "" },
        { "  HEARTBEAT_OK\n", 300, true, "" },
        { "", 300, true, "" },
        { "   \n\t  ", 300, true, "" },
        { null, 300, true, "" },
        { "HEARTBEAT_OK HEARTBEAT_OK", 300, true, "" },

        // Light markup around the token.
        { "**HEARTBEAT_OK**", 300, true, "" },
        { "`HEARTBEAT_OK`", 300, true, "" },
        { "__HEARTBEAT_OK__", 300, true, "" },
        { "<b>HEARTBEAT_OK</b>", 300, true, "" },
        { "<p>HEARTBEAT_OK</p>", 300, true, "" },
        { "&nbsp;HEARTBEAT_OK&NBSP;", 300, true, "" },
        { "HEARTBEAT_OK\u00A0", 300, true, "" },
        { "```\nHEARTBEAT_OK\n```", 300, true, "" },
        { "<b>HEARTBEAT_OK</b> nothing new in the inbox", 300, true, "nothing new in the inbox" },

        // Token at the start or end with a short note: acks whose note is kept.
        { "HEARTBEAT_OK — inbox empty, calendar clear.", 300, true, "— inbox empty, calendar clear." },
        { "Inbox empty. HEARTBEAT_OK", 300, true, "Inbox empty." },
        { "Reminder: dentist at 3pm.\n\nHEARTBEAT_OK", 300, true, "Reminder: dentist at 3pm." },

        // Trailing punctuation after the token at the end: up to 4 non-word characters go with it, 5 do not.
        { "HEARTBEAT_OK.", 300, true, "" },
        { "All quiet HEARTBEAT_OK!!!!", 300, true, "All quiet" },
        { "All quiet HEARTBEAT_OK!!!!!", 300, false, "All quiet HEARTBEAT_OK!!!!!" },
        { "Nothing to report HEARTBEAT_OK?!.)", 300, true, "Nothing to report" },
        { "Nothing to report HEARTBEAT_OK?!.)]", 300, false, "Nothing to report HEARTBEAT_OK?!.)]" },

        // AckMaxChars boundary: exactly the limit is an ack, one more is an alert.
        { Note300, 300, true, new string('n', 300) },
        { Note301, 300, false, new string('n', 301) },
        { "Quiet days HEARTBEAT_OK", 10, true, "Quiet days" },
        { "Quiet days! HEARTBEAT_OK", 10, false, "Quiet days!" },
        { "HEARTBEAT_OK", 0, true, "" },
        { "HEARTBEAT_OK.", 0, true, "" },
        { "HEARTBEAT_OK a", 0, false, "a" },

        // Case-sensitive token; the token must stand as a word.
        { "heartbeat_ok", 300, false, "heartbeat_ok" },
        { "Heartbeat_OK.", 300, false, "Heartbeat_OK." },
        { "HEARTBEAT_OKAY", 300, false, "HEARTBEAT_OKAY" },
        { "MY_HEARTBEAT_OK", 300, false, "MY_HEARTBEAT_OK" },

        // A token only in the middle is not stripped, so the reply is an alert.
        { "The backup failed; HEARTBEAT_OK otherwise.", 300, false, "The backup failed; HEARTBEAT_OK otherwise." },

        // No token at all: an alert, however short.
        { "Your flight UA123 was cancelled — rebook by 18:00.", 300, false, "Your flight UA123 was cancelled — rebook by 18:00." },
        { "<b>Disk</b> at 97%", 300, false, "Disk at 97%" },

        // Changed: was { "NO_REPLY", 300, false, "NO_REPLY" }. Heartbeat prompts now ask for NO_REPLY too, and a heartbeat
        // whose whole reply is silent is an ack with no remaining text.
        { "NO_REPLY", 300, true, "" },

        // The token is removed from the start before the end: what follows a leading token stays, even when the end
        // rule (up to 4 trailing non-word characters) would have taken it with a trailing token.
        { "HEARTBEAT_OK 🦞", 0, false, "🦞" },
        { "HEARTBEAT_OK 🦞", 300, true, "🦞" },
        { "HEARTBEAT_OK 🦞", 2, true, "🦞" }, // an emoji is two UTF-16 characters
        { "HEARTBEAT_OK 🦞", 1, false, "🦞" },
        { "HEARTBEAT_OK ✅", 0, false, "✅" },
        { "**HEARTBEAT_OK** 🎉", 0, false, "🎉" },
        { "<p>HEARTBEAT_OK</p>\n<p>🦞</p>", 0, false, "🦞" },
        { "HEARTBEAT_OK\u00A0🦞", 0, false, "🦞" },
        { "HEARTBEAT_OK 🦞 HEARTBEAT_OK", 0, false, "🦞" },
        { "HEARTBEAT_OK 👍\n\nAll systems nominal.", 300, true, "👍 All systems nominal." },
        { "HEARTBEAT_OK — checked mail, calendar and CI; all green.", 0, false, "— checked mail, calendar and CI; all green." },
        { "HEARTBEAT_OK\n\n_Nothing to report._", 300, true, "_Nothing to report._" },
        // Only punctuation or markup left beside a removed token is no text.
        { "HEARTBEAT_OK :)", 0, true, "" },
        { "HEARTBEAT_OK!!!!!", 0, true, "" },
        { "HEARTBEAT_OK?!.)", 0, true, "" },
        { "HEARTBEAT_OK —", 0, true, "" },
        // A token that is only at the end still takes up to 4 trailing non-word characters with it.
        { "Nothing new in the inbox. HEARTBEAT_OK 🦞", 300, true, "Nothing new in the inbox." },
        { "All quiet on the server front 🦞 HEARTBEAT_OK", 0, false, "All quiet on the server front 🦞" },
        { "Nightly backup OK (412 MB). HEARTBEAT_OK 🦞🦞", 300, false, "Nightly backup OK (412 MB). HEARTBEAT_OK 🦞🦞" },
        // Still case-sensitive, still a word, still not from the middle.
        { "heartbeat_ok 🦞", 300, false, "heartbeat_ok 🦞" },
        { "HEARTBEAT_OKAY 🦞", 300, false, "HEARTBEAT_OKAY 🦞" },
        { "Checked everything — HEARTBEAT_OK — except the backup job, which failed at 03:12.", 300, false, "Checked everything — HEARTBEAT_OK — except the backup job, which failed at 03:12." },

        // A silent (NO_REPLY) heartbeat is an ack whatever AckMaxChars, with no remaining text.
        { "NO_REPLY", 0, true, "" },
        { "no_reply.", 0, true, "" },
        { "{\"action\":\"NO_REPLY\"}", 0, true, "" },
        { "<think>Checked HEARTBEAT.md: only the weekly review, due Friday. Nothing today.</think>\nNO_REPLY", 0, true, "" },
        { "thinking: calendar empty, inbox empty.\n\nNO_REPLY", 0, true, "" },
        // Beside a removed heartbeat token, a silent remainder is no text either.
        { "HEARTBEAT_OK NO_REPLY", 0, true, "" },
        { "NO_REPLY\nHEARTBEAT_OK", 0, true, "" },
        // Mentions, glued emoji and answers before the token are not silent: they follow the ack rule.
        { "Your 15:00 with Dana moved to 16:30. NO_REPLY", 300, false, "Your 15:00 with Dana moved to 16:30. NO_REPLY" },
        { "NO_REPLY🙂", 300, false, "NO_REPLY🙂" },
        { "HEARTBEAT_OK — NO_REPLY needed on the PR thread", 300, true, "— NO_REPLY needed on the PR thread" },
        { "HEARTBEAT_OK — NO_REPLY needed on the PR thread", 0, false, "— NO_REPLY needed on the PR thread" },
        { "<think>Rain at 17:00.</think>\nTake an umbrella ☔ NO_REPLY", 300, false, "Rain at 17:00. Take an umbrella ☔ NO_REPLY" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void Classifies_replies_by_the_ack_rule(string? reply, int ackMaxChars, bool expectedAck, string expectedText)
    {
        var result = HeartbeatAck.Classify(reply, ackMaxChars);

        Assert.Equal(expectedAck, result.IsAck);
        Assert.Equal(expectedText, result.Text);
        Assert.Equal(expectedAck, HeartbeatAck.IsAck(reply, ackMaxChars));
    }

    [Fact]
    public void The_table_covers_at_least_25_replies_on_both_sides()
    {
        var rows = Replies.Select(row => (bool)row[2]!).ToList();
        Assert.True(rows.Count >= 25);
        Assert.True(rows.Count(ack => ack) >= 10);
        Assert.True(rows.Count(ack => !ack) >= 10);
    }

    [Fact]
    public void Default_limit_is_300_characters()
    {
        Assert.True(HeartbeatAck.Classify(Note300).IsAck);
        Assert.False(HeartbeatAck.Classify(Note301).IsAck);
    }

    [Fact]
    public void Reports_whether_a_token_was_removed()
    {
        Assert.True(HeartbeatAck.Classify("Inbox empty. HEARTBEAT_OK").TokenRemoved);
        Assert.False(HeartbeatAck.Classify("").TokenRemoved);
        Assert.False(HeartbeatAck.Classify("Backup failed").TokenRemoved);
        Assert.False(HeartbeatAck.Classify("NO_REPLY").TokenRemoved); // silent, but no heartbeat token
        Assert.True(HeartbeatAck.Classify("HEARTBEAT_OK NO_REPLY").TokenRemoved);
    }

    [Theory]
    [InlineData("HEARTBEAT_OK 🦞", "🦞", true)]
    [InlineData("HEARTBEAT_OK 🦞 HEARTBEAT_OK", "🦞", true)]
    [InlineData("HEARTBEAT_OK.", "", true)]
    [InlineData("NO_REPLY", "NO_REPLY", false)] // StripToken knows only the heartbeat token
    public void StripToken_removes_the_start_before_the_end(string reply, string text, bool removed)
    {
        Assert.Equal(new HeartbeatTokenStrip(text, removed), HeartbeatAck.StripToken(reply));
    }

    [Fact]
    public void Rejects_a_negative_limit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HeartbeatAck.Classify("HEARTBEAT_OK", -1));
    }
}
