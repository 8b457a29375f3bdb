using SessionKinds.Tests.Engines;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// The engine catalog itself: every engine has a unique name, opens fresh agents, and states for each optional capability
/// whether it has it, with a reason when it does not, so a capability's tests are never skipped without a word.
/// </summary>
public sealed class EngineCatalogTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_engine_has_a_unique_name_and_answers_for_every_capability()
    {
        Assert.NotEmpty(StoreEngines.Registered);
        Assert.Equal(StoreEngines.Registered.Count, StoreEngines.Registered.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (var engine in StoreEngines.Registered)
        {
            Assert.Matches("^[a-z][a-z0-9-]*$", engine.Name);
            Assert.Same(engine, StoreEngines.Get(engine.Name));
            foreach (var capability in Enum.GetValues<StoreCapability>())
            {
                var lacks = engine.Lacks(capability);
                Assert.True(lacks is null || lacks.Trim().Length > 10, $"{engine} lacks {capability} without saying why");
                output.WriteLine($"{engine.Name}: {capability}: {(lacks is null ? "yes" : "no, " + lacks)}");
            }
        }

        Assert.Throws<ArgumentException>(() => StoreEngines.Get("no-such-engine"));
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task An_agent_is_reached_again_from_its_arguments_and_starts_empty(string engine)
    {
        var storeEngine = StoreEngines.Get(engine);
        using var temp = new Infrastructure.TempFolder();
        await using var agent = storeEngine.CreateAgent(temp.Root);
        var time = Infrastructure.Clock.NewFake();
        await using (var store = agent.Open(new StoreSettings(time)))
        {
            Assert.Empty(await store.ReadSessionsAsync());
            await store.CompleteAsync(store.StartSession(SessionKind.User, "k"), "r");
        }

        await using var again = storeEngine.OpenAgent(agent.Arguments);
        await using var reopened = again.Open(new StoreSettings(time));
        Assert.Equal("k", Assert.Single(await reopened.ReadSessionsAsync()).Key);
        Assert.Equal("k", Assert.Single(await again.ReadRawEntriesAsync()).Key);
        Assert.Empty(await again.FindIntegrityProblemsAsync());
    }
}
