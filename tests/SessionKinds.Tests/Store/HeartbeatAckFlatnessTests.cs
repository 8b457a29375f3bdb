using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Layer 1 of the fix: acknowledged heartbeats never grow the session store.</summary>
public class HeartbeatAckFlatnessTests
{
    [Fact]
    public void A_thousand_acks_leave_sessions_and_transcripts_untouched()
    {
        using var f = new StoreFixture();
        f.Run(SessionKind.User, "agent:main:main", "Booked.");
        f.Run(SessionKind.Subagent, "agent:main:sub:1", "Findings.");
        f.Run<InboxCheck>("agent:main:heartbeat", "The server is down! Nothing responds on port 443.");
        var before = FolderSnapshot.Take(f.Temp.AgentFolder);
        Assert.Contains("sessions.json", before.Names);
        Assert.Equal(3, before.Names.Count(name => name.EndsWith(".jsonl", StringComparison.Ordinal)));

        for (var i = 0; i < 1000; i++)
        {
            f.Time.Advance(TimeSpan.FromMinutes(30));
            var outcome = f.Run<InboxCheck>("agent:main:heartbeat", i % 3 == 0 ? "HEARTBEAT_OK" : "**HEARTBEAT_OK** nothing new");
            Assert.Equal(ReplyVerdict.Ack, outcome.Verdict);
        }

        var after = FolderSnapshot.Take(f.Temp.AgentFolder);
        Assert.Equal(before.Names, after.Names);
        foreach (var name in before.Names.Where(n => n == "sessions.json" || n.EndsWith(".jsonl", StringComparison.Ordinal)))
        {
            Assert.Equal(before.Files[name], after.Files[name]);
        }

        var state = f.Store.ReadHeartbeatState();
        Assert.Equal(1000, state.ConsecutiveOks);
        Assert.Equal(f.Time.GetUtcNow(), state.LastAck);
        Assert.Equal(1000, state.Tasks["TestAgent.InboxCheck"].ConsecutiveOks);

        var ring = f.Store.ReadHeartbeatRing();
        Assert.Equal(InboxCheck.Heartbeat.RingSize, ring.MaxEntries);
        Assert.Equal(InboxCheck.Heartbeat.RingSize, ring.Entries.Count);
        Assert.All(ring.Entries, e => Assert.Equal(HeartbeatResult.Ok, e.Result));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(f.Time.GetUtcNow().ToUnixTimeSeconds()), ring.Entries[^1].Timestamp);
        for (var i = 1; i < ring.Entries.Count; i++)
        {
            Assert.Equal(TimeSpan.FromMinutes(30), ring.Entries[i].Timestamp - ring.Entries[i - 1].Timestamp);
        }

        // The raw file agrees with the read model: never more than maxEntries.
        using var raw = f.ReadJson("heartbeat-ring.json");
        Assert.Equal(50, raw.RootElement.GetProperty("maxEntries").GetInt32());
        Assert.Equal(50, raw.RootElement.GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public void An_ack_does_not_read_a_corrupt_sessions_file()
    {
        // Proof that the ack path never opens sessions.json: a corrupt one is neither reported nor moved aside.
        using var f = new StoreFixture();
        File.WriteAllText(f.SessionsPath, "{ \"broken\": ");

        f.Run<InboxCheck>("agent:main:heartbeat", "HEARTBEAT_OK");
        f.Run<DiskCheck>("agent:main:disk", "HEARTBEAT_OK", prompt: null);

        Assert.Equal("{ \"broken\": ", File.ReadAllText(f.SessionsPath));
        Assert.DoesNotContain(f.DataFiles(), name => name.Contains("corrupt", StringComparison.Ordinal));
    }
}
