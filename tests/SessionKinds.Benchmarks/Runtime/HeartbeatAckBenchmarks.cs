using BenchmarkDotNet.Attributes;
using HeartbeatAgent;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.Runtime;

/// <summary>
/// C. One heartbeat that answers <c>HEARTBEAT_OK</c>, against agent folders whose <c>sessions.json</c> holds 100, 2,000 and
/// 20,000 gateway-shaped entries:
/// <list type="bullet">
/// <item><b>Floor</b> (baseline): a bare atomic write of exactly the bytes the ack path writes, the same two files with
/// the same sizes: both temps written and flushed, then both renamed (<see cref="AtomicFile.ReplaceBoth"/>).</item>
/// <item><b>SessionKinds</b>: start a session of a generated heartbeat task (the sample's <see cref="InboxCheck"/>,
/// <c>[HeartbeatSession(RingSize = 50)]</c>) and complete it with an ack (lock, read and check state and ring, rewrite
/// <c>heartbeat-state.json</c> and the ring atomically; <c>sessions.json</c> is never read).</item>
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

    /// <summary>The heartbeat settings generated for <see cref="InboxCheck"/> (ring file and size).</summary>
    private static readonly HeartbeatSettings Ring = SettingsOf<InboxCheck>();

    private string _folder = null!;
    private FileSessionStore _store = null!;
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
        if (_store is not null)
        {
            Synchronously.Wait(_store.DisposeAsync());
        }

        BenchFolders.Delete(_folder);
    }

    [Benchmark(Baseline = true, Description = "Floor: atomic write of the same bytes")]
    public void Floor() => AtomicFile.ReplaceBoth(_floorState, _stateBytes, _floorRing, _ringBytes);

    [Benchmark(Description = "SessionKinds: start + complete an ack")]
    public SessionOutcome SessionKinds() =>
        Synchronously.Wait(_store.CompleteAsync(_store.StartSession<InboxCheck>(HeartbeatKey, Prompt), Ack));

    [Benchmark(Description = "Naive: rewrite sessions.json + transcript")]
    public void Naive() =>
        _naive.Persist(NaiveKey, _naiveEntry, Prompt, Ack, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static HeartbeatSettings SettingsOf<TTask>()
        where TTask : IHeartbeatSessionTask => TTask.Heartbeat;

    /// <summary>
    /// The same operations measured interleaved in one process (<see cref="PairedRuns"/>): every store size and every
    /// operation in each round. Returns a Markdown table: ratios to the floor of the same store size, and to the same
    /// operation on the 100-entry store (flatness).
    /// </summary>
    internal static string MeasurePaired(int rounds)
    {
        var instances = new List<HeartbeatAckBenchmarks>();
        try
        {
            var rows = new List<(int Entries, string Name, PairedRuns.Operation Operation)>();
            foreach (var entries in new[] { 100, 2_000, 20_000 })
            {
                var instance = new HeartbeatAckBenchmarks { Entries = entries };
                instances.Add(instance);
                instance.Prepare();
                rows.Add((entries, "Floor", new($"Floor {entries}", instance.Floor, BenchRun.Count(10, 1))));
                rows.Add((entries, "SessionKinds", new($"SessionKinds {entries}", () => instance.SessionKinds(), BenchRun.Count(10, 1))));
                rows.Add((entries, "Naive", new($"Naive {entries}", instance.Naive, BenchRun.Count(entries switch { 100 => 10, 2_000 => 3, _ => 1 }, 1))));
            }

            var runs = PairedRuns.Measure([.. rows.Select(r => r.Operation)], rounds);
            var table = new System.Text.StringBuilder();
            table.AppendLine("| entries | operation | median ms | mean ms | / floor, same store [95% CI] | / same operation at 100 entries [95% CI] |");
            table.AppendLine("|---:|---|---:|---:|---:|---:|");
            foreach (var (entries, name, operation) in rows)
            {
                var floor = rows.Single(r => r.Entries == entries && r.Name == "Floor").Operation;
                var smallest = rows.First(r => r.Name == name).Operation;
                table.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"| {entries:N0} | {name} | {runs.MedianMs(operation):0.000} | {runs.MeanMs(operation):0.000} | {runs.Ratio(operation, floor)} | {runs.Ratio(operation, smallest)} |"));
            }

            return table.ToString();
        }
        finally
        {
            foreach (var instance in instances)
            {
                instance.Cleanup();
            }
        }
    }

    private void Setup(string method, Action operation)
    {
        Prepare();
        IoPerOperation.Measure(IoPerOperation.Key(nameof(HeartbeatAckBenchmarks), method, $"Entries={Entries}"), IoSamples, operation);
    }

    /// <summary>Creates the agent folder with its store, fills the ring and captures the floor's bytes.</summary>
    private void Prepare()
    {
        _folder = BenchFolders.Create($"ack-{Entries}");
        var sessionsPath = Path.Combine(_folder, "sessions.json");
        File.WriteAllBytes(sessionsPath, GatewayStore.Create(Entries));
        _naiveEntry = GatewayStore.CreateEntry(Entries, heartbeat: true);
        _naive = new NaiveGateway(_folder);
        _naive.Persist(NaiveKey, _naiveEntry, Prompt, Ack, GatewayStore.StartMs); // the store now holds Entries + 1, and keeps that size

        // Fill the ring to its size, so every measured ack writes the same number of bytes.
        _store = new FileSessionStore(_folder);
        var sessionsBefore = File.ReadAllBytes(sessionsPath);
        for (var i = 0; i < Ring.RingSize + 5; i++)
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
        _ringBytes = File.ReadAllBytes(Path.Combine(_folder, Ring.RingFile));
        _floorState = Path.Combine(_folder, "floor-" + Path.GetFileName(_store.HeartbeatStatePath));
        _floorRing = Path.Combine(_folder, "floor-" + Ring.RingFile);
    }
}
