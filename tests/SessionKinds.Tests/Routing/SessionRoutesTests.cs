namespace SessionKinds.Tests.Routing;

public class SessionRoutesTests
{
    private const PersistTargets Session = PersistTargets.SessionEntry | PersistTargets.Transcript;
    private const PersistTargets Heartbeat = PersistTargets.HeartbeatState | PersistTargets.HeartbeatRing;

    [Fact]
    public void User_is_always_persisted()
    {
        Assert.Equal(new ReplyRoute(ReplyVerdict.Conversation, Session, null), SessionRoutes.User("hi"));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Conversation, Session, null), SessionRoutes.User(""));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Conversation, Session, null), SessionRoutes.User(HeartbeatAck.Token));
    }

    [Fact]
    public void Subagent_is_always_persisted()
    {
        Assert.Equal(new ReplyRoute(ReplyVerdict.Conversation, Session, null), SessionRoutes.Subagent("Findings"));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Conversation, Session, null), SessionRoutes.Subagent(CronReply.NoReplyToken));
    }

    [Fact]
    public void Heartbeat_ack_writes_only_state_and_ring()
    {
        Assert.Equal(new ReplyRoute(ReplyVerdict.Ack, Heartbeat, null), SessionRoutes.Heartbeat("HEARTBEAT_OK", 300));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Ack, Heartbeat, "Inbox empty."), SessionRoutes.Heartbeat("Inbox empty. HEARTBEAT_OK", 300));
    }

    [Fact]
    public void Heartbeat_alert_is_persisted_with_a_summary_without_the_token()
    {
        var route = SessionRoutes.Heartbeat("Your 10:00 meeting moved to 11:00. HEARTBEAT_OK", 10);

        Assert.Equal(ReplyVerdict.Alert, route.Verdict);
        Assert.Equal(Session | Heartbeat, route.Targets);
        Assert.Equal("Your 10:00 meeting moved to 11:00.", route.Summary);
    }

    [Fact]
    public void Heartbeat_alert_summary_is_shortened()
    {
        var route = SessionRoutes.Heartbeat(new string('x', 1000), 300);

        Assert.Equal(ReplyVerdict.Alert, route.Verdict);
        Assert.Equal(SessionRoutes.SummaryMaxChars, route.Summary!.Length);
        Assert.EndsWith("…", route.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Cron_output_is_persisted_and_silence_leaves_only_the_run_record()
    {
        Assert.Equal(new ReplyRoute(ReplyVerdict.Output, Session | PersistTargets.CronRun, "3 meetings today"), SessionRoutes.Cron("3 meetings today"));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Silent, PersistTargets.CronRun, null), SessionRoutes.Cron("NO_REPLY"));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Silent, PersistTargets.CronRun, null), SessionRoutes.Cron(""));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Silent, PersistTargets.CronRun, null), SessionRoutes.Cron("HEARTBEAT_OK"));
    }

    [Fact]
    public void Cron_output_summary_is_shortened_like_every_summary()
    {
        var route = SessionRoutes.Cron("Morning brief: " + new string('x', 400));
        Assert.Equal(SessionRoutes.SummaryMaxChars, route.Summary!.Length);
        Assert.EndsWith("…", route.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NO_REPLY", 0)]
    [InlineData("**no_reply**", 300)]
    [InlineData("{ \"action\": \"NO_REPLY\" }", 0)]
    [InlineData("<think>Inbox empty, calendar clear, nothing due before Friday.</think>\nNO_REPLY", 0)]
    [InlineData("HEARTBEAT_OK\nNO_REPLY", 0)]
    public void Silent_heartbeat_is_an_ack_without_a_summary(string reply, int ackMaxChars)
    {
        Assert.Equal(new ReplyRoute(ReplyVerdict.Ack, Heartbeat, null), SessionRoutes.Heartbeat(reply, ackMaxChars));
    }

    [Theory]
    [InlineData("HEARTBEAT_OK 🦞", 0, "🦞")]
    [InlineData("I will not answer NO_REPLY here because the backup failed at 03:12.", 300, "I will not answer NO_REPLY here because the backup failed at 03:12.")]
    [InlineData("<think>The user should know.</think>\nHere is your brief: rain at 17:00. NO_REPLY", 300, "The user should know. Here is your brief: rain at 17:00. NO_REPLY")]
    public void Heartbeat_that_is_not_silent_follows_the_ack_rule(string reply, int ackMaxChars, string summary)
    {
        Assert.Equal(new ReplyRoute(ReplyVerdict.Alert, Session | Heartbeat, summary), SessionRoutes.Heartbeat(reply, ackMaxChars));
    }

    [Theory]
    [InlineData("{\"action\":\"NO_REPLY\"}", true)]
    [InlineData("No_Reply.", true)]
    [InlineData("NO_REPLY\nNO_REPLY", true)]
    [InlineData("thinking: no new issues since 08:00.\n\nNO_REPLY", true)]
    [InlineData("HEARTBEAT_OK NO_REPLY", true)]
    [InlineData("<think>The user wants the brief.</think> Here is your brief: 3 meetings, first at 09:30. NO_REPLY", false)]
    [InlineData("NO_REPLY🙂", false)]
    [InlineData("{\"action\":\"NO_REPLY\",\"note\":\"2 new PRs\"}", false)]
    [InlineData("HEARTBEAT_OK 🦞", false)]
    public void Cron_route_follows_the_silent_rule(string reply, bool silent)
    {
        var expected = silent
            ? new ReplyRoute(ReplyVerdict.Silent, PersistTargets.CronRun, null)
            : new ReplyRoute(ReplyVerdict.Output, Session | PersistTargets.CronRun, reply);
        Assert.Equal(expected, SessionRoutes.Cron(reply));
    }

    [Theory]
    [InlineData(SessionKind.Heartbeat, "no_reply", ReplyVerdict.Ack)]
    [InlineData(SessionKind.Cron, "NO_REPLY NO_REPLY", ReplyVerdict.Silent)]
    [InlineData(SessionKind.User, "hello", ReplyVerdict.Conversation)]
    [InlineData(SessionKind.Subagent, "done", ReplyVerdict.Conversation)]
    [InlineData(SessionKind.Heartbeat, "HEARTBEAT_OK", ReplyVerdict.Ack)]
    [InlineData(SessionKind.Heartbeat, "Server down", ReplyVerdict.Alert)]
    [InlineData(SessionKind.Cron, "NO_REPLY", ReplyVerdict.Silent)]
    [InlineData(SessionKind.Cron, "Brief", ReplyVerdict.Output)]
    public void ForKind_routes_with_default_settings(SessionKind kind, string reply, ReplyVerdict verdict)
    {
        Assert.Equal(verdict, SessionRoutes.ForKind(kind, reply).Verdict);
    }

    [Fact]
    public void ForKind_uses_the_default_ack_limit()
    {
        Assert.Equal(ReplyVerdict.Ack, SessionRoutes.ForKind(SessionKind.Heartbeat, "HEARTBEAT_OK " + new string('a', 300)).Verdict);
        Assert.Equal(ReplyVerdict.Alert, SessionRoutes.ForKind(SessionKind.Heartbeat, "HEARTBEAT_OK " + new string('a', 301)).Verdict);
    }

    [Theory]
    [InlineData(SessionKind.Unspecified)]
    [InlineData((SessionKind)42)]
    [InlineData((SessionKind)(-1))]
    public void ForKind_rejects_a_missing_kind(SessionKind kind)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SessionRoutes.ForKind(kind, "x"));
        Assert.Contains("SessionKind.User", ex.Message, StringComparison.Ordinal);
    }
}
