namespace SessionKinds.Tests.Routing;

public class CronReplyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    [InlineData("NO_REPLY")]
    [InlineData("no_reply")]
    [InlineData("  No_Reply \n")]
    [InlineData("HEARTBEAT_OK")]
    [InlineData("**HEARTBEAT_OK**")]
    [InlineData("HEARTBEAT_OK.")]
    public void Silent_replies(string? reply)
    {
        Assert.True(CronReply.IsSilent(reply));
    }

    [Theory]
    [InlineData("Morning brief: 3 meetings, first at 9:30.")]
    [InlineData("NO_REPLY needed, but FYI the build is green")]
    [InlineData("NO_REPLY NO_REPLY")]
    [InlineData("NO REPLY")]
    [InlineData("HEARTBEAT_OK but the nightly build failed")]
    [InlineData("heartbeat_ok")]
    [InlineData(".")]
    public void Replies_with_output(string reply)
    {
        Assert.False(CronReply.IsSilent(reply));
    }
}
