using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>Settings are validated when a store opens; a disposed store refuses work; a reopened store sees everything.</summary>
public sealed class StoreLifecycleTests
{
    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Settings_out_of_range_are_refused_naming_them(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);

        foreach (var runs in new[] { 0, -1 })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => s.Agent.Open(s.Settings with { CronRunsToKeep = runs }));
            Assert.Contains("CronRunsToKeep must be at least 1", ex.Message, StringComparison.Ordinal);
        }

        var time = Assert.Throws<ArgumentException>(() => s.Agent.Open(s.Settings with { Time = null! }));
        Assert.Contains("Time", time.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_disposed_store_refuses_work_and_disposing_twice_is_harmless(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var store = s.OpenAnother();
        var handle = store.StartSession(SessionKind.User, "k");
        await store.DisposeAsync();
        await store.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => store.StartSession(SessionKind.User, "k"));
        Assert.Throws<ObjectDisposedException>(() => store.StartSession<ChatTurn>("k"));
        Assert.Throws<ObjectDisposedException>(() => store.HeartbeatRing<InboxCheck>());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.CompleteAsync(handle, "r"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ReadSessionsAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.FindSessionAsync("k"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ReadHeartbeatStateAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ReadHeartbeatRingAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ReadCronRunsAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.RecordCronRunAsync<MorningBrief>(CronRunVerdict.Skipped));
        Assert.False(handle.IsCompleted);
        Assert.Empty(await s.Store.ReadSessionsAsync());
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task A_store_opened_later_or_beside_another_reads_everything_the_other_wrote(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var beside = s.OpenAnother();
        var chat = await s.RunAsync<ChatTurn>("agent:main:main", "hi");
        await s.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        await s.RunAsync<MorningBrief>("cron:brief", "");

        // The other store continues the same session and sees every part.
        var continued = await beside.CompleteAsync(beside.StartSession<ChatTurn>("agent:main:main", prompt: null), "again");
        Assert.Equal(chat.SessionId, continued.SessionId);
        Assert.Equal(1, (await beside.ReadHeartbeatStateAsync()).ConsecutiveOks);
        Assert.Single((await beside.ReadHeartbeatRingAsync()).Entries);
        Assert.Single((await beside.ReadCronRunsAsync()).Runs);
        Assert.Equal(["prompt", "hi", "again"], (await s.Store.ReadTranscriptAsync(chat.SessionId))!.Messages.Select(m => m.Content));
    }
}
