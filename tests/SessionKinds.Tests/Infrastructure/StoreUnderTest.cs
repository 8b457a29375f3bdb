using Microsoft.Extensions.Time.Testing;
using SessionKinds.Tests.Engines;

namespace SessionKinds.Tests.Infrastructure;

/// <summary>A fresh agent of one engine in a temp folder of its own, a fake clock, and a store open on them.</summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    private readonly List<SessionStore> _stores = [];

    private StoreUnderTest(StoreEngine engine, StoreSettings settings, FakeTimeProvider time)
    {
        Engine = engine;
        Time = time;
        Settings = settings;
        Temp = new TempFolder();
        Agent = engine.CreateAgent(Temp.Root);
        Store = OpenAnother();
    }

    public StoreEngine Engine { get; }

    public StoreAgent Agent { get; }

    public FakeTimeProvider Time { get; }

    public StoreSettings Settings { get; }

    public TempFolder Temp { get; }

    /// <summary>The store the test works with.</summary>
    public SessionStore Store { get; }

    /// <summary>A store on the fresh agent of <paramref name="engine"/>, with a fake clock at <see cref="Clock.Start"/>.</summary>
    public static StoreUnderTest Create(string engine, Func<StoreSettings, StoreSettings>? configure = null)
    {
        var time = Clock.NewFake();
        var settings = new StoreSettings(time);
        return new StoreUnderTest(StoreEngines.Get(engine), configure?.Invoke(settings) ?? settings, time);
    }

    /// <summary>Another store on the same agent (disposed with this one), as a second process would open it.</summary>
    public SessionStore OpenAnother(StoreSettings? settings = null)
    {
        var store = Agent.Open(settings ?? Settings);
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    /// <summary>Starts and completes a session of <typeparamref name="TTask"/>.</summary>
    public async Task<SessionOutcome> RunAsync<TTask>(string key, TaskReply reply, string? prompt = "prompt")
        where TTask : ISessionTask =>
        await Store.CompleteAsync(Store.StartSession<TTask>(key, prompt), reply);

    /// <summary>Starts and completes a session of an explicit kind.</summary>
    public async Task<SessionOutcome> RunAsync(SessionKind kind, string key, TaskReply reply, string? prompt = "prompt") =>
        await Store.CompleteAsync(Store.StartSession(kind, key, prompt), reply);

    public ValueTask<StorageSnapshot> SnapshotAsync() => Agent.SnapshotAsync();

    /// <summary>Fails unless the storage is exactly <paramref name="before"/>.</summary>
    public async Task AssertUnchangedSinceAsync(StorageSnapshot before, string because)
    {
        var difference = (await SnapshotAsync()).DifferenceFrom(before);
        Assert.True(difference is null, $"{because}, but the {Engine.Name} engine's storage changed: {difference}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await Agent.DisposeAsync();
        Temp.Dispose();
    }
}
