using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Files;

/// <summary>A fresh agent folder under a temp root of its own, a fake clock and a <see cref="FileSessionStore"/> on them.</summary>
public sealed class FolderUnderTest : IAsyncDisposable
{
    private readonly List<FileSessionStore> _stores = [];

    private FolderUnderTest(Action<FileSessionStoreOptions>? configure)
    {
        Temp = new TempFolder();
        Time = Clock.NewFake();
        Agent = (FileStoreAgent)new FileStoreEngine().CreateAgent(Temp.Root);
        Configure = configure;
        Store = Open(configure);
    }

    public TempFolder Temp { get; }

    public FakeTimeProvider Time { get; }

    public FileStoreAgent Agent { get; }

    public FileSessionStore Store { get; }

    public Action<FileSessionStoreOptions>? Configure { get; }

    public string Folder => Agent.Folder;

    public string SessionsPath => File("sessions.json");

    public string StatePath => File("heartbeat-state.json");

    public string RingPath => File("heartbeat-ring.json");

    public string CronRunsPath => File("cron-runs.json");

    public static FolderUnderTest Create(Action<FileSessionStoreOptions>? configure = null) => new(configure);

    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Another store on the folder (disposed with this one), with the fake clock and <paramref name="configure"/>.</summary>
    public FileSessionStore Open(Action<FileSessionStoreOptions>? configure = null, TimeProvider? time = null)
    {
        var store = Agent.Open(new StoreSettings(time ?? Time) { WaitTimeout = TimeSpan.FromSeconds(60) }, configure);
        _stores.Add(store);
        return store;
    }

    public async Task<SessionOutcome> RunAsync<TTask>(string key, TaskReply reply, string? prompt = "prompt")
        where TTask : ISessionTask =>
        await Store.CompleteAsync(Store.StartSession<TTask>(key, prompt), reply);

    public async Task<SessionOutcome> RunAsync(SessionKind kind, string key, TaskReply reply, string? prompt = "prompt") =>
        await Store.CompleteAsync(Store.StartSession(kind, key, prompt), reply);

    public JsonDocument ReadJson(string name) => JsonDocument.Parse(System.IO.File.ReadAllBytes(File(name)));

    /// <summary>The files in the agent folder other than the lock files, in name order.</summary>
    public string[] DataFiles() =>
        Directory.EnumerateFiles(Folder)
            .Select(p => Path.GetFileName(p)!)
            .Where(name => !FileStoreAgent.LockFiles.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToArray();

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        Temp.Dispose();
    }
}
