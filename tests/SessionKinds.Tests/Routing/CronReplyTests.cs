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
    // Moved from Replies_with_output: repeated tokens now count as silent (the gateway's current rule).
    [InlineData("NO_REPLY NO_REPLY")]
    [InlineData("HEARTBEAT_OK NO_REPLY")]
    [InlineData("HEARTBEAT_OK\n\n`NO_REPLY`")]
    public void Silent_replies(string? reply)
    {
        Assert.True(CronReply.IsSilent(reply));
    }

    [Theory]
    [InlineData("Morning brief: 3 meetings, first at 9:30.")]
    [InlineData("NO_REPLY needed, but FYI the build is green")]
    [InlineData("NO REPLY")]
    // The ack token goes first from the start, so the emoji remains: output (it used to go with an end token).
    [InlineData("HEARTBEAT_OK 🦞")]
    [InlineData("HEARTBEAT_OK NO_REPLY 🙂")]
    [InlineData("HEARTBEAT_OK but the nightly build failed")]
    [InlineData("heartbeat_ok")]
    [InlineData(".")]
    public void Replies_with_output(string reply)
    {
        Assert.False(CronReply.IsSilent(reply));
    }
}
