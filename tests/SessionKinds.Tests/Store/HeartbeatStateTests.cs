using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Layer 1: the tiny heartbeat state, and the documented repair of absurd values.</summary>
public class HeartbeatStateTests
{
    [Fact]
    public void The_state_file_has_the_documented_shape()
    {
        using var f = new StoreFixture();
        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");
        f.Time.Advance(TimeSpan.FromMinutes(30));
        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");

        using var json = f.ReadJson("heartbeat-state.json");
        var root = json.RootElement;
        Assert.Equal(f.Time.GetUtcNow().ToUnixTimeMilliseconds(), root.GetProperty("lastAck").GetInt64());
        Assert.Equal(2, root.GetProperty("consecutiveOKs").GetInt32());
        Assert.False(root.TryGetProperty("lastAlert", out _));
        Assert.Equal(2, root.GetProperty("tasks").GetProperty("TestAgent.InboxCheck").GetProperty("consecutiveOKs").GetInt32());
    }

    [Fact]
    public void An_alert_resets_the_count_and_later_acks_count_again()
    {
        using var f = new StoreFixture();
        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");
        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");
        f.Time.Advance(TimeSpan.FromMinutes(1));
        f.Run<InboxCheck>("hb", "Flight cancelled");
        f.Time.Advance(TimeSpan.FromMinutes(1));
        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");

        var state = f.Store.ReadHeartbeatState();
        Assert.Equal(1, state.ConsecutiveOks);
        Assert.Equal(Clock.Start.AddMinutes(1), state.LastAlert);
        Assert.Equal(Clock.Start.AddMinutes(2), state.LastAck);
        Assert.Equal("Flight cancelled", state.LastAlertSummary);
    }

    [Fact]
    public void Two_tasks_keep_separate_figures_and_share_the_agent_wide_ones()
    {
        using var f = new StoreFixture();
        f.Run<InboxCheck>("inbox", "HEARTBEAT_OK");
        f.Run<InboxCheck>("inbox", "HEARTBEAT_OK");
        f.Run<DiskCheck>("disk", "Disk 97% full, clean up /var/log now");

        var state = f.Store.ReadHeartbeatState();
        Assert.Equal(0, state.ConsecutiveOks);
        Assert.Equal(2, state.Tasks["TestAgent.InboxCheck"].ConsecutiveOks);
        Assert.Equal(0, state.Tasks["TestAgent.DiskCheck"].ConsecutiveOks);
        Assert.NotNull(state.Tasks["TestAgent.DiskCheck"].LastAlert);
    }

    [Theory]
    [InlineData("""{"lastAck": -5, "consecutiveOKs": -3, "lastAlert": 1e300}""", 1)]
    [InlineData("""{"lastAck": "yesterday", "consecutiveOKs": "many", "lastAlert": true}""", 1)]
    [InlineData("""{"lastAck": 99999999999999999999, "consecutiveOKs": 1.5, "lastAlert": null}""", 1)]
    [InlineData("""{"lastAck": 1735700000000, "consecutiveOKs": 41, "tasks": "oops"}""", 42)]
    [InlineData("""{"lastAck": 1735700000000, "consecutiveOKs": 2147483647}""", 2147483647)]
    [InlineData("""{"consecutiveOKs": 4294967296}""", 1)]
    [InlineData("""{"consecutiveOKs": 7.0, "tasks": {"TestAgent.InboxCheck": [1, 2]}}""", 8)]
    public void Absurd_values_are_repaired_not_fatal(string content, int expectedCount)
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.StatePath, content);

        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");

        var state = f.Store.ReadHeartbeatState();
        Assert.Equal(expectedCount, state.ConsecutiveOks);
        Assert.Equal(Clock.Start, state.LastAck);
        Assert.Null(state.LastAlert);
        Assert.Equal(1, state.Tasks["TestAgent.InboxCheck"].ConsecutiveOks);
    }

    [Fact]
    public void A_missing_state_reads_as_no_heartbeat_yet()
    {
        using var f = new StoreFixture();

        var state = f.Store.ReadHeartbeatState();

        Assert.Null(state.LastAck);
        Assert.Equal(0, state.ConsecutiveOks);
        Assert.Empty(state.Tasks);
    }
}
