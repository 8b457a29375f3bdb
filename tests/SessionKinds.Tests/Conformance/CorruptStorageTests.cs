using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// Stored data that cannot be read is never treated as empty and overwritten: the operation fails with a
/// <see cref="SessionStoreException"/> that names the damage, the damaged data survives (the engine says where), and
/// nothing else of the operation is written. (Engines with <see cref="StoreCapability.CorruptStorage"/>.)
/// </summary>
public sealed class CorruptStorageTests
{
    public static TheoryData<string, string> EnginesAndParts()
    {
        var data = new TheoryData<string, string>();
        foreach (var engine in StoreEngines.Registered.Where(e => e.Lacks(StoreCapability.CorruptStorage) is null))
        {
            foreach (var part in engine.CorruptibleParts)
            {
                data.Add(engine.Name, part.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesAndParts))]
    public async Task A_completion_touching_a_damaged_part_fails_keeps_the_damaged_data_and_writes_nothing_else(string engine, string partName)
    {
        await using var s = StoreUnderTest.Create(engine);
        var part = s.Engine.CorruptibleParts.Single(p => p.Name == partName);
        await SeedEveryPartAsync(s);
        var damaged = await s.Agent.CorruptAsync(part);
        var before = await ReadEverythingExceptAsync(s, part.Holds);

        // A completion that writes the damaged part: it must fail, not start the part afresh.
        var handle = part.Holds switch
        {
            PersistTargets.SessionEntry => s.Store.StartSession<InboxCheck>("agent:main:main"),
            PersistTargets.CronRun => s.Store.StartSession<MorningBrief>("cron:brief"),
            _ => s.Store.StartSession<InboxCheck>("agent:main:hb"),
        };
        s.Time.Advance(TimeSpan.FromMinutes(1));
        var reply = part.Holds == PersistTargets.CronRun ? "Brief 2" : "An alert that writes every heartbeat part and a session";
        var error = await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await s.Store.CompleteAsync(handle, reply));

        var problem = s.Agent.CheckCorruptionReport(part, damaged, error);
        Assert.True(problem is null, $"{part}: {problem}");
        Assert.False(handle.IsCompleted);
        Assert.Equal(before, await ReadEverythingExceptAsync(s, part.Holds));
    }

    [Theory]
    [MemberData(nameof(EnginesAndParts))]
    public async Task Reading_a_damaged_part_fails_and_keeps_the_damaged_data(string engine, string partName)
    {
        await using var s = StoreUnderTest.Create(engine);
        var part = s.Engine.CorruptibleParts.Single(p => p.Name == partName);
        await SeedEveryPartAsync(s);
        var damaged = await s.Agent.CorruptAsync(part);

        var error = await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await ReadAsync(s.Store, part.Holds));

        var problem = s.Agent.CheckCorruptionReport(part, damaged, error);
        Assert.True(problem is null, $"{part}: {problem}");
    }

    private static async Task SeedEveryPartAsync(StoreUnderTest s)
    {
        await s.RunAsync<ChatTurn>("agent:main:main", "hello");
        await s.RunAsync<InboxCheck>("agent:main:hb", "Disk 97% full");
        await s.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        await s.RunAsync<MorningBrief>("cron:brief", "Brief");
    }

    private static async Task<object> ReadAsync(SessionStore store, PersistTargets part) => part switch
    {
        PersistTargets.SessionEntry => await store.ReadSessionsAsync(),
        PersistTargets.HeartbeatState => await store.ReadHeartbeatStateAsync(),
        PersistTargets.HeartbeatRing => await store.ReadHeartbeatRingAsync(),
        PersistTargets.CronRun => await store.ReadCronRunsAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "no read for this part"),
    };

    /// <summary>Every other part, as read through the store (a description, so it compares by value).</summary>
    private static async Task<string> ReadEverythingExceptAsync(StoreUnderTest s, PersistTargets damaged)
    {
        var parts = new List<string>();
        if (damaged != PersistTargets.SessionEntry)
        {
            foreach (var entry in await s.Store.ReadSessionsAsync())
            {
                parts.Add($"{entry}");
                var transcript = (await s.Store.ReadTranscriptAsync(entry.SessionId!))!;
                parts.Add(string.Join(" | ", transcript.Messages));
            }
        }

        if (damaged != PersistTargets.HeartbeatState)
        {
            var state = await s.Store.ReadHeartbeatStateAsync();
            parts.Add($"{state} {string.Join(", ", state.Tasks)}");
        }

        if (damaged != PersistTargets.HeartbeatRing)
        {
            parts.Add(string.Join(" | ", (await s.Store.ReadHeartbeatRingAsync()).Entries));
        }

        if (damaged != PersistTargets.CronRun)
        {
            parts.Add(string.Join(" | ", (await s.Store.ReadCronRunsAsync()).Runs));
        }

        return string.Join(Environment.NewLine, parts);
    }
}
