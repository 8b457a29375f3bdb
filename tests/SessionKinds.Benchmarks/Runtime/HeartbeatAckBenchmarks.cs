using BenchmarkDotNet.Attributes;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.Runtime;

/// <summary>
/// C. One heartbeat that answers <c>HEARTBEAT_OK</c>, against agent folders whose <c>sessions.json</c> holds 100, 2,000 and
/// 20,000 gateway-shaped entries:
/// <list type="bullet">
/// <item><b>Floor</b> (baseline): a bare atomic write (temp + flush + rename) of exactly the bytes the ack path writes, the
/// same two files with the same sizes.</item>
/// <item><b>SessionKinds</b>: start a heartbeat session and complete it with an ack (lock, read and check state and ring,
/// rewrite <c>heartbeat-state.json</c> and the ring atomically; <c>sessions.json</c> is never read).</item>
/// <item><b>Naive</b>: what gateways did with the same reply on the same store (<see cref="NaiveGateway"/>).</item>
/// </list>
/// Target: SessionKinds flat in store size and within 1.2x of the floor.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RuntimeBenchConfig))]
[BenchmarkCategory("C: heartbeat ack")]
public class HeartbeatAckBenchmarks
{
    private const string HeartbeatKey = "agent:main:heartbeat";
    private const string NaiveKey = "agent:main:heartbeat:latest";
    private const string Prompt = "Check the inbox. Reply HEARTBEAT_OK if nothing needs attention.";
    private const string Ack = "HEARTBEAT_OK";
    private static int IoSamples => BenchRun.Count(20, 1);

    private string _folder = null!;
    private AgentStore _store = null!;
    private NaiveGateway _naive = null!;
    private byte[] _naiveEntry = null!;
    private byte[] _stateBytes = null!;
    private byte[] _ringBytes = null!;
    private string _floorState = null!;
    private string _floorRing = null!;

    [Params(100, 2_000, 20_000)]
    public int Entries { get; set; }

    [GlobalSetup(Target = nameof(Floor))]
    public void SetupFloor() => Setup(nameof(Floor), Floor);

    [GlobalSetup(Target = nameof(SessionKinds))]
    public void SetupSessionKinds() => Setup(nameof(SessionKinds), () => SessionKinds());

    [GlobalSetup(Target = nameof(Naive))]
    public void SetupNaive() => Setup(nameof(Naive), Naive);

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        BenchFolders.Delete(_folder);
    }

    [Benchmark(Baseline = true, Description = "Floor: atomic write of the same bytes")]
    public void Floor()
    {
        AtomicFile.Replace(_floorState, _stateBytes);
        AtomicFile.Replace(_floorRing, _ringBytes);
    }

    [Benchmark(Description = "SessionKinds: start + complete an ack")]
    public SessionOutcome SessionKinds() =>
        _store.Complete(_store.StartSession(SessionKind.Heartbeat, HeartbeatKey, Prompt), Ack);

    [Benchmark(Description = "Naive: rewrite sessions.json + transcript")]
    public void Naive() =>
        _naive.Persist(NaiveKey, _naiveEntry, Prompt, Ack, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private void Setup(string method, Action operation)
    {
        _folder = BenchFolders.Create($"ack-{Entries}");
        var sessionsPath = Path.Combine(_folder, "sessions.json");
        File.WriteAllBytes(sessionsPath, GatewayStore.Create(Entries));
        _naiveEntry = GatewayStore.CreateEntry(Entries, heartbeat: true);
        _naive = new NaiveGateway(_folder);
        _naive.Persist(NaiveKey, _naiveEntry, Prompt, Ack, GatewayStore.StartMs); // the store now holds Entries + 1, and keeps that size

        // Fill the ring to its size, so every measured ack writes the same number of bytes.
        _store = new AgentStore(_folder);
        var sessionsBefore = File.ReadAllBytes(sessionsPath);
        for (var i = 0; i < HeartbeatSessionAttribute.DefaultRingSize + 5; i++)
        {
            var outcome = SessionKinds();
            if (outcome.Written != (PersistTargets.HeartbeatState | PersistTargets.HeartbeatRing))
            {
                throw new InvalidOperationException($"An ack wrote {outcome.Written}; expected only the heartbeat state and ring.");
            }
        }

        if (!File.ReadAllBytes(sessionsPath).AsSpan().SequenceEqual(sessionsBefore))
        {
            throw new InvalidOperationException("An ack changed sessions.json.");
        }

        // The floor writes exactly what one ack writes: the two files, with their sizes.
        _stateBytes = File.ReadAllBytes(_store.HeartbeatStatePath);
        _ringBytes = File.ReadAllBytes(Path.Combine(_folder, HeartbeatSessionAttribute.DefaultRingFile));
        _floorState = Path.Combine(_folder, "floor-" + Path.GetFileName(_store.HeartbeatStatePath));
        _floorRing = Path.Combine(_folder, "floor-" + HeartbeatSessionAttribute.DefaultRingFile);

        IoPerOperation.Measure(IoPerOperation.Key(nameof(HeartbeatAckBenchmarks), method, $"Entries={Entries}"), IoSamples, operation);
    }
}
