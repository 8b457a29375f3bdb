namespace SessionKinds.Tests.Routing;

/// <summary>
/// The NO_REPLY rule through both entry points: <see cref="CronReply.IsSilent"/> (silent run) and
/// <see cref="HeartbeatAck.Classify"/> (a silent heartbeat is an ack, even with AckMaxChars = 0; anything else without the
/// heartbeat token is an alert carrying the whole reply).
/// </summary>
public class SilentReplyTests
{
    // reply, silent?, the heartbeat alert text when not silent (null: the reply with white space collapsed)
    public static TheoryData<string, bool, string?> Replies => new()
    {
        // --- Token only, any case.
        { "no_reply\n", true, null },
        { "No_Reply", true, null },
        { "  nO_rEpLy  ", true, null },
        // Near misses: not the token.
        { "NO-REPLY", false, null },
        { "NOREPLY", false, null },
        { "NO_REPLYS", false, null },

        // --- Edge punctuation and markup wrappers.
        { "NO_REPLY.", true, null },
        { "NO_REPLY!", true, null },
        { "NO_REPLY…", true, null },
        { "«NO_REPLY»", true, null },
        { "„NO_REPLY“", true, null },
        { "「NO_REPLY」", true, null },
        { "¡NO_REPLY!", true, null },
        { "*NO_REPLY*", true, null },
        { "**NO_REPLY**", true, null },
        { "_NO_REPLY_", true, null },
        { "~~NO_REPLY~~", true, null },
        { "`NO_REPLY`", true, null },
        { "```\nNO_REPLY\n```", true, null },
        { "\"NO_REPLY\"", true, null },
        { "(NO_REPLY)", true, null },
        { "— NO_REPLY —", true, null },
        { "<b>NO_REPLY</b>", true, null },
        { "NO_REPLY&nbsp;", true, null },
        { "\u00A0NO_REPLY\u3000", true, null },
        { "\U00010100NO_REPLY\U00010101", true, null }, // Aegean word separators: punctuation outside the BMP
        // Symbols are not wrappers: a token glued to (or beside) an emoji or another symbol is content.
        { "NO_REPLY🙂", false, null },
        { "🙂NO_REPLY", false, null },
        { "NO_REPLY✅", false, null },
        { "NO_REPLY 👍", false, null },
        { "👀 NO_REPLY", false, null },
        { "$NO_REPLY$", false, null },

        // --- Repeated.
        { "NO_REPLY\nNO_REPLY", true, null },
        { "NO_REPLY\n\nno_reply\n", true, null },
        { "NO_REPLY. NO_REPLY.", true, null },
        { "**NO_REPLY** NO_REPLY", true, null },
        { "NO_REPLY NO_REPLY 🙂", false, null },

        // --- A reply that only mentions the token is content.
        { "I will not answer NO_REPLY here because the deploy to prod failed: `exit code 137` on step 4.", false, null },
        { "Per your instructions I'd normally reply NO_REPLY, but the Hetzner invoice is 3× higher than usual (€412.80).", false, null },
        { "NO_REPLY needed from you — I already moved the dentist to Thursday 10:00.", false, null },
        { "NO_REPLY: the disk is at 91%, consider cleaning /var/log.", false, null },
        { "The cron prompt says to answer NO_REPLY when nothing changed.\nSomething did change: 2 new PRs need review.", false, null },
        { "Morning brief ☀️\n\n- 09:30 standup\n- 14:00 1:1 with Sam\n\nNO_REPLY", false, null },
        { "Keine neuen Nachrichten, aber das Backup ist fehlgeschlagen. NO_REPLY", false, null },
        { "Done.\n\nNO_REPLY", false, null },

        // --- JSON: a JSON string, or an object whose only member is "action".
        { "{\"action\":\"NO_REPLY\"}", true, null },
        { "{ \"action\": \"no_reply\" }", true, null },
        { "{\n  \"action\": \"NO_REPLY\"\n}", true, null },
        { "\"  NO_REPLY\\n\"", true, null }, // the JSON string's text is " NO_REPLY" and a line break
        { "```json\n{\"action\": \"NO_REPLY\"}\n```", true, null },
        // Other members may carry content; nesting, a different member, invalid or trailing JSON is not the envelope.
        { "{\"action\":\"NO_REPLY\",\"reason\":\"no new issues since 08:00\"}", false, null },
        { "{\"reason\":\"nothing changed\",\"action\":\"NO_REPLY\"}", false, null },
        { "{\"action\":\"reply\",\"text\":\"NO_REPLY\"}", false, null },
        { "{\"Action\":\"NO_REPLY\"}", false, null },
        { "{\"action\":[\"NO_REPLY\"]}", false, null },
        { "{\"action\":{\"action\":\"NO_REPLY\"}}", false, null },
        { "{\"action\":\"NO_REPLY\"", false, null },
        { "{\"action\":\"NO_REPLY\"} Here is the summary anyway: 3 new issues.", false, null },
        { "```json\n{\"action\": \"NO_REPLY\", \"summary\": \"Build #512 failed\"}\n```", false, null },

        // --- After a reasoning preamble.
        {
            "<think>\nThe cron job asks for a digest of new GitHub issues. The API returned zero new issues since yesterday 08:00. Nothing to send, so I stay quiet.\n</think>\nNO_REPLY",
            true, null
        },
        { "<thinking>Inbox: 0 unread. Calendar: nothing in the next 2h.</thinking>\n\n**NO_REPLY**", true, null },
        { "<THINK>Nichts Neues im Posteingang.</THINK> no_reply", true, null },
        { "<think>First pass: no alerts.</think>\n<think>Second look at the RSS feeds: still nothing.</think>\nNO_REPLY", true, null },
        { "<think>Nothing changed; the instructions say NO_REPLY then.</think>\n{\"action\":\"NO_REPLY\"}", true, null },
        { "<think>用户没有新消息，无需回复。</think>\nNO_REPLY", true, null },
        { "thinking: the weather API shows no rain for tomorrow, and the user only wants rain alerts.\n\nNO_REPLY", true, null },
        { "think: no new commits on main since the last run. NO_REPLY", true, null },
        { "Thinking:\nChecked the three RSS feeds.\nNo item newer than the last digest.\nStaying quiet.\nNO_REPLY", true, null },
        { "THINK: rien de nouveau depuis hier.\n\n`NO_REPLY`", true, null },
        { "thinking: nothing to report, I will stay quiet.NO_REPLY", true, null },
        { "thinking: reply NO_REPLY if nothing changed. Nothing changed.\n\nNO_REPLY", true, null },
        // An answer between the preamble and the final token, an unclosed tag, a missing token: not silent.
        {
            "<think>The user wants the daily brief.</think>\nHere is your brief: 3 meetings today, first at 09:30 with Priya. NO_REPLY",
            false, "The user wants the daily brief. Here is your brief: 3 meetings today, first at 09:30 with Priya. NO_REPLY"
        },
        {
            "<think>Nothing urgent.</think>\nHere is your brief:\n- 2 unread emails from the bank\n\nNO_REPLY",
            false, "Nothing urgent. Here is your brief: - 2 unread emails from the bank NO_REPLY"
        },
        {
            "<think>Quiet day. Should I still send the summary? Yes, the user asked for it.\nSummary: 1 new signup.\nNO_REPLY",
            false, "Quiet day. Should I still send the summary? Yes, the user asked for it. Summary: 1 new signup. NO_REPLY"
        },
        { "thinking: the user asked for the weekly report.\n\nWeekly report: revenue +4%, churn 1.2%.\nNO_REPLY", false, null },
        { "think: The build failed, the user must know.\n\nThe nightly build failed on `test-integration` (timeout after 30 min). NO_REPLY", false, null },
        { "thinking: the user wants the on-call summary.\n\nOn call this week: Maria (until Sunday 20:00).\n\nNO_REPLY", false, null },
        // The block ends at the first blank line: reasoning in several paragraphs before the token is kept, not dropped.
        { "thinking: first the RSS feeds: nothing new.\n\nThen the inbox: nothing new either.\n\nNO_REPLY", false, null },
        { "thinking: nothing new 🙂NO_REPLY", false, null },
        { "thinking: nothing new, as MY_NO_REPLY", false, null },
        { "I was thinking: nothing new. NO_REPLY", false, null },
        // The token must follow the preamble; reasoning that only says it, with nothing after, is kept.
        { "<think>Nothing to do today, so NO_REPLY.</think>", false, "Nothing to do today, so NO_REPLY." },
        { "<think>Nothing to do today.</think>\nNothing to report.", false, "Nothing to do today. Nothing to report." },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void Cron_run_is_silent_by_the_no_reply_rule(string reply, bool silent, string? alertText)
    {
        _ = alertText;
        Assert.Equal(silent, CronReply.IsSilent(reply));
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void Heartbeat_is_an_ack_when_silent_and_an_alert_otherwise(string reply, bool silent, string? alertText)
    {
        foreach (var ackMaxChars in new[] { 0, 300 })
        {
            var result = HeartbeatAck.Classify(reply, ackMaxChars);

            Assert.Equal(silent, result.IsAck);
            Assert.Equal(silent ? "" : alertText ?? CollapseWhiteSpace(reply), result.Text);
            Assert.False(result.TokenRemoved); // none of these replies carries HEARTBEAT_OK
        }
    }

    [Fact]
    public void The_table_covers_both_sides_with_at_least_60_replies()
    {
        var rows = Replies.Select(row => (bool)row[1]!).ToList();
        Assert.True(rows.Count >= 60);
        Assert.True(rows.Count(silent => silent) >= 25);
        Assert.True(rows.Count(silent => !silent) >= 25);
    }

    [Fact]
    public void A_token_glued_to_a_lone_surrogate_is_content()
    {
        // Built here, not in theory data: a lone surrogate does not survive test-case serialization.
        string[] replies = ["NO_REPLY\uD800", "\uDC00NO_REPLY", "NO_REPLY \uD83D", "\"NO_REPLY\uDFFF\"", "thinking: quiet \uD800NO_REPLY"];
        foreach (var reply in replies)
        {
            Assert.Contains(reply, char.IsSurrogate);
            Assert.False(CronReply.IsSilent(reply), reply);
            Assert.False(HeartbeatAck.Classify(reply, 0).IsAck, reply);
        }

        // An escaped lone surrogate inside a JSON string cannot be decoded: not silent, and no exception.
        Assert.False(CronReply.IsSilent("\"NO_REPLY\\uD800\""));
        Assert.False(CronReply.IsSilent("{\"action\":\"NO_REPLY\\udc00\"}"));
    }

    [Fact]
    public void A_json_reply_is_read_up_to_1024_characters()
    {
        var padding = new string(' ', SilentReply.MaxJsonChars - "{\"action\":\"NO_REPLY\"}".Length);
        var longest = "{\"action\":" + padding + "\"NO_REPLY\"}";
        Assert.Equal(SilentReply.MaxJsonChars, longest.Length);

        Assert.True(CronReply.IsSilent(longest));
        Assert.False(CronReply.IsSilent("{\"action\": " + padding + "\"NO_REPLY\"}"));
    }

    [Fact]
    public void Huge_and_deeply_nested_replies_are_classified_without_exceptions()
    {
        var manyTokens = string.Join(' ', Enumerable.Repeat("NO_REPLY", 200_000));
        Assert.True(CronReply.IsSilent(manyTokens));
        Assert.True(HeartbeatAck.Classify(manyTokens, 0).IsAck);

        var manyTokensThenText = manyTokens + " but the backup failed";
        Assert.False(CronReply.IsSilent(manyTokensThenText));

        var manyAcks = string.Concat(Enumerable.Repeat("HEARTBEAT_OK ", 200_000));
        Assert.Equal(new HeartbeatAckResult(true, "", true), HeartbeatAck.Classify(manyAcks, 0));
        Assert.True(CronReply.IsSilent(manyAcks));

        // Long runs of markup beside the token (a regex with a leading markup loop would scan them quadratically).
        var markupRun = "HEARTBEAT_OK " + new string('*', 1_000_000);
        Assert.Equal(new HeartbeatAckResult(true, "", true), HeartbeatAck.Classify(markupRun, 0));
        var underscoreRun = "Disk at 97% " + new string('_', 1_000_000) + "HEARTBEAT_OK";
        Assert.Equal(new HeartbeatAckResult(true, "Disk at 97%", true), HeartbeatAck.Classify(underscoreRun));

        var longText = new string('x', 2_000_000);
        Assert.False(CronReply.IsSilent(longText));
        Assert.False(HeartbeatAck.Classify(longText).IsAck);

        var unclosedThink = "<think>" + new string('a', 1_000_000) + " NO_REPLY";
        Assert.False(CronReply.IsSilent(unclosedThink));

        var longPlainBlock = "thinking:" + string.Concat(Enumerable.Repeat("still nothing new\n", 100_000)) + "NO_REPLY";
        Assert.True(CronReply.IsSilent(longPlainBlock));

        var nestedObjects = string.Concat(Enumerable.Repeat("{\"action\":", 50)) + "\"NO_REPLY\"" + new string('}', 50);
        Assert.False(CronReply.IsSilent(nestedObjects));
        var deeplyNested = string.Concat(Enumerable.Repeat("{\"action\":", 100_000)) + "\"NO_REPLY\"" + new string('}', 100_000);
        Assert.False(CronReply.IsSilent(deeplyNested));
        var nestedArrays = "{\"a\":" + new string('[', 500) + "\"NO_REPLY\"" + new string(']', 500) + "}";
        Assert.False(CronReply.IsSilent(nestedArrays));
    }

    [Fact]
    public void Random_replies_never_throw_and_keep_the_rules_consistent()
    {
        string[] pieces =
        [
            "NO_REPLY", "no_reply", "HEARTBEAT_OK", "<think>", "</think>", "thinking:", "think:", "\n", "\n\n", " ", "{", "}",
            "\"", "action", ":", ",", "🙂", "\uD800", "\uDC00", "*", "`", "```", "json", "«", "»", ".", "!", "&nbsp;", "<b>",
            "</b>", "[", "]", "\\u0041", "\\uD800", "_", "x", "Here is your brief", "—", "\u00A0",
        ];
        var random = new Random(20260517);
        for (var i = 0; i < 20_000; i++)
        {
            var count = random.Next(0, 16);
            var reply = string.Concat(Enumerable.Range(0, count).Select(_ => pieces[random.Next(pieces.Length)]));

            var silent = SilentReply.IsSilent(reply);
            var cronSilent = CronReply.IsSilent(reply);
            var strict = HeartbeatAck.Classify(reply, 0);
            var loose = HeartbeatAck.Classify(reply, 300);
            var stripped = HeartbeatAck.StripToken(reply);

            if (silent)
            {
                Assert.True(cronSilent, reply);
                Assert.True(strict.IsAck, reply);
                Assert.Equal("", strict.Text);
            }

            Assert.True(!strict.IsAck || loose.IsAck, reply); // a larger limit never turns an ack into an alert
            Assert.True(!strict.IsAck || strict.Text.Length == 0, reply);
            Assert.Equal(stripped.TokenRemoved, strict.TokenRemoved);
            Assert.Equal(strict.IsAck, HeartbeatAck.IsAck(reply, 0));
            if (!strict.IsAck)
            {
                Assert.Equal(stripped.Text, strict.Text);
                Assert.False(cronSilent && !stripped.TokenRemoved, reply); // a cron-silent reply without the ack token is silent by the NO_REPLY rule
            }
        }
    }

    private static string CollapseWhiteSpace(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
