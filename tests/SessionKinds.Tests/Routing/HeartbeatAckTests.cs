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
        { "NO_REPLY", 300, false, "NO_REPLY" },
        { "<b>Disk</b> at 97%", 300, false, "Disk at 97%" },
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
    }

    [Fact]
    public void Rejects_a_negative_limit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HeartbeatAck.Classify("HEARTBEAT_OK", -1));
    }
}
