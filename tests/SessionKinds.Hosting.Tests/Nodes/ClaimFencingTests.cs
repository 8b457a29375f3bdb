using Microsoft.Extensions.Time.Testing;
using SessionKinds.Hosting.Tests.Infrastructure;

namespace SessionKinds.Hosting.Tests.Nodes;

/// <summary>
/// The store completes each occurrence once: a host whose claim ran out while it was paused cannot complete the occurrence
/// after the host that took it over did (the second completion is refused whole).
/// </summary>
public sealed class ClaimFencingTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 1, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_stale_holder_cannot_complete_an_occurrence_another_host_completed()
    {
        var time = new FakeTimeProvider(Monday);
        await using var store = new FileSessionStore(_folder.Path, new FileSessionStoreOptions { Time = time });
        var registration = Plans.Registration<HourlyJob>();
        var behavior = new TaskBehavior();
        var services = new ServiceProviderStub(behavior);
        var name = registration.Info.Name;

        var stale = (await store.TryClaimOccurrenceAsync(name, Monday, "node-a", TimeSpan.FromMinutes(1))).Claim!;
        time.Advance(TimeSpan.FromMinutes(2)); // node-a is paused past its lease
        var taken = await store.TryClaimOccurrenceAsync(name, Monday, "node-b", TimeSpan.FromMinutes(1));
        await registration.RunOccurrenceAsync(store, registration.CreateTask(services), taken.Claim!, "agent:main:cron:hourly-job:run:20260105T010000Z");

        var error = await Assert.ThrowsAsync<OccurrenceAlreadyDoneException>(async () =>
            await registration.RunOccurrenceAsync(store, registration.CreateTask(services), stale, "agent:main:cron:hourly-job:run:20260105T010000Z"));

        Assert.Equal((OccurrenceClaimStatus.Claimed, 2), (taken.Status, taken.Claim!.Attempt));
        Assert.Equal("node-b", error.CompletedBy);
        Assert.Single((await store.ReadCronRunsAsync()).Runs);
        Assert.Single(await store.ReadSessionsAsync());
        await Assert.ThrowsAsync<OccurrenceAlreadyDoneException>(async () => await registration.SkipOccurrenceAsync(store, Monday, "late"));
    }

    public void Dispose() => _folder.Dispose();

    private sealed class ServiceProviderStub(TaskBehavior behavior) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(TaskBehavior) ? behavior : null;
    }
}
