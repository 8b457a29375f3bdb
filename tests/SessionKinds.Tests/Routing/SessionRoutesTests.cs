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
    public void Cron_output_is_persisted_and_silence_is_not()
    {
        Assert.Equal(new ReplyRoute(ReplyVerdict.Output, Session, null), SessionRoutes.Cron("3 meetings today"));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Silent, PersistTargets.None, null), SessionRoutes.Cron("NO_REPLY"));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Silent, PersistTargets.None, null), SessionRoutes.Cron(""));
        Assert.Equal(new ReplyRoute(ReplyVerdict.Silent, PersistTargets.None, null), SessionRoutes.Cron("HEARTBEAT_OK"));
    }

    [Theory]
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
