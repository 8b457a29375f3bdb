using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace SessionKinds.Tests.Infrastructure;

/// <summary>A temp agent folder, a fake clock and a store on them.</summary>
public sealed class StoreFixture : IDisposable
{
    public StoreFixture(Action<AgentStoreOptions>? configure = null)
    {
        Temp = new TempFolder();
        Time = Clock.NewFake();
        Store = new AgentStore(Temp.AgentFolder, Clock.Options(Time, configure));
    }

    public TempFolder Temp { get; }

    public FakeTimeProvider Time { get; }

    public AgentStore Store { get; }

    public string SessionsPath => Temp.File("sessions.json");

    public string StatePath => Temp.File("heartbeat-state.json");

    public string RingPath => Temp.File("heartbeat-ring.json");

    public SessionOutcome Run(SessionKind kind, string key, string reply, string? prompt = "prompt") =>
        Store.Complete(Store.StartSession(kind, key, prompt), reply);

    public SessionOutcome Run<TTask>(string key, string reply, string? prompt = "prompt")
        where TTask : ISessionTask =>
        Store.Complete(Store.StartSession<TTask>(key, prompt), reply);

    public JsonDocument ReadJson(string name) => JsonDocument.Parse(File.ReadAllBytes(Temp.File(name)));

    /// <summary>The files in the agent folder other than the lock files the store creates when it opens.</summary>
    public string[] DataFiles() =>
        Directory.EnumerateFiles(Temp.AgentFolder)
            .Select(Path.GetFileName)
            .Where(name => name is not ".sessionkinds.lock" and not ".sessionkinds.lock.owner" and not ".sessionkinds.lock.wait")
            .Order(StringComparer.Ordinal)
            .ToArray()!;

    public void Dispose()
    {
        Store.Dispose();
        Temp.Dispose();
    }
}
