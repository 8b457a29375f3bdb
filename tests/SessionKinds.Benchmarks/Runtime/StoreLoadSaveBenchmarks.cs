using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.Runtime;

/// <summary>
/// D. Load and save of a 2,000-entry gateway-shaped <c>sessions.json</c> (about 1.4 MB, <see cref="GatewayStore"/>).
/// <para><b>Load</b>: read the file and list every entry's key, <c>sessionId</c>, <c>kind</c> and <c>updatedAt</c>; baseline the
/// naive <see cref="JsonNode"/> parse. Also: the floor (just the bytes), a hand-written <see cref="JsonDocument"/> pass, and
/// looking up one entry.</para>
/// <para><b>Save</b>: persist one user turn of an existing session (its entry rewritten, two transcript lines appended);
/// baseline the naive gateway path. Also: the floor, an atomic write of exactly the <c>sessions.json</c> bytes SessionKinds
/// writes plus an append (flushed to disk) of exactly its transcript bytes.</para>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RuntimeBenchConfig))]
public class StoreLoadSaveBenchmarks
{
    public const int Entries = 2_000;
    private const string LoadCategory = "D: load 2,000 entries";
    private const string SaveCategory = "D: save 2,000 entries";
    private const string Prompt = "Can you summarise the thread with Priya about the offsite?";
    private const string Reply = "Here is what I found: three relevant messages, the latest from yesterday evening. I can open any of them for you.";
    private static int IoSamples => BenchRun.Count(10, 1);

    private string _folder = null!;
    private string _sessionsPath = null!;
    private FileSessionStore _store = null!;
    private NaiveGateway _naive = null!;
    private string _userKey = null!;
    private byte[] _userEntry = null!;
    private byte[] _floorSessions = null!;
    private byte[] _floorTranscriptLines = null!;
    private string _floorSessionsPath = null!;
    private string _floorTranscriptPath = null!;

    /// <summary>The size of the generated store, for BENCHMARKS.md.</summary>
    public static int StoreBytes => GatewayStore.Create(Entries).Length;

    [GlobalSetup]
    public void Setup()
    {
        _folder = BenchFolders.Create("store");
        _sessionsPath = Path.Combine(_folder, "sessions.json");
        File.WriteAllBytes(_sessionsPath, GatewayStore.Create(Entries));
        _store = new FileSessionStore(_folder);
        _naive = new NaiveGateway(_folder);

        var user = Synchronously.Wait(_store.ReadSessionsAsync()).First(e => e.Kind == SessionKind.User);
        _userKey = user.Key;
        _userEntry = JsonSerializer.SerializeToUtf8Bytes(JsonNode.Parse(user.Json));

        // What one SessionKinds save writes: the whole store, and the transcript lines of one turn.
        var outcome = SaveSessionKinds();
        var transcript = _store.TranscriptPath(outcome.SessionId);
        var before = new FileInfo(transcript).Length;
        SaveSessionKinds();
        _floorSessions = File.ReadAllBytes(_sessionsPath);
        _floorTranscriptLines = File.ReadAllBytes(transcript)[(int)before..];
        _floorSessionsPath = Path.Combine(_folder, "floor-sessions.json");
        _floorTranscriptPath = Path.Combine(_folder, "floor-transcript.jsonl");

        var type = nameof(StoreLoadSaveBenchmarks);
        IoPerOperation.Measure(IoPerOperation.Key(type, nameof(LoadNaive), ""), IoSamples, () => LoadNaive());
        IoPerOperation.Measure(IoPerOperation.Key(type, nameof(LoadFloor), ""), IoSamples, () => LoadFloor());
        IoPerOperation.Measure(IoPerOperation.Key(type, nameof(LoadJsonDocument), ""), IoSamples, () => LoadJsonDocument());
        IoPerOperation.Measure(IoPerOperation.Key(type, nameof(LoadSessionKinds), ""), IoSamples, () => LoadSessionKinds());
        IoPerOperation.Measure(IoPerOperation.Key(type, nameof(FindSessionKinds), ""), IoSamples, () => FindSessionKinds());
        IoPerOperation.Measure(IoPerOperation.Key(type, nameof(SaveNaive), ""), IoSamples, SaveNaive);
        IoPerOperation.Measure(IoPerOperation.Key(type, nameof(SaveFloor), ""), IoSamples, SaveFloor);
        IoPerOperation.Measure(IoPerOperation.Key(type, nameof(SaveSessionKinds), ""), IoSamples, () => SaveSessionKinds());
    }

    /// <summary>The same operations measured interleaved in one process (<see cref="PairedRuns"/>); returns a Markdown table.</summary>
    internal static string MeasurePaired(int rounds)
    {
        var b = new StoreLoadSaveBenchmarks();
        b.Setup();
        try
        {
            var loadNaive = new PairedRuns.Operation("Load: naive JsonNode parse, 3 fields per entry", () => b.LoadNaive());
            var loadFloor = new PairedRuns.Operation("Load: floor, read the bytes", () => b.LoadFloor());
            var saveNaive = new PairedRuns.Operation("Save: naive rewrite + transcript", b.SaveNaive);
            var saveFloor = new PairedRuns.Operation("Save: floor, same bytes", b.SaveFloor);
            (PairedRuns.Operation Operation, PairedRuns.Operation Naive, PairedRuns.Operation Floor)[] rows =
            [
                (loadNaive, loadNaive, loadFloor),
                (loadFloor, loadNaive, loadFloor),
                (new("Load: JsonDocument, 3 fields per entry", () => b.LoadJsonDocument()), loadNaive, loadFloor),
                (new("Load: SessionKinds ReadSessionsAsync()", () => b.LoadSessionKinds()), loadNaive, loadFloor),
                (new("Load: SessionKinds FindSessionAsync(key)", () => b.FindSessionKinds()), loadNaive, loadFloor),
                (saveNaive, saveNaive, saveFloor),
                (saveFloor, saveNaive, saveFloor),
                (new("Save: SessionKinds, complete a user turn", () => b.SaveSessionKinds()), saveNaive, saveFloor),
            ];
            var runs = PairedRuns.Measure([.. rows.Select(r => r.Operation)], rounds);
            var table = new System.Text.StringBuilder();
            table.AppendLine("| operation | median ms | / naive [95% CI] | / floor [95% CI] |");
            table.AppendLine("|---|---:|---:|---:|");
            foreach (var (operation, naive, floor) in rows)
            {
                table.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"| {operation.Name} | {runs.MedianMs(operation):0.00} | {runs.Ratio(operation, naive)} | {runs.Ratio(operation, floor)} |"));
            }

            return table.ToString();
        }
        finally
        {
            b.Cleanup();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_store is not null)
        {
            Synchronously.Wait(_store.DisposeAsync());
        }

        BenchFolders.Delete(_folder);
    }

    [Benchmark(Baseline = true, Description = "Naive: JsonNode parse, read 3 fields per entry")]
    [BenchmarkCategory(LoadCategory)]
    public int LoadNaive()
    {
        var store = JsonNode.Parse(File.ReadAllBytes(_sessionsPath))!.AsObject();
        var sum = 0;
        foreach (var (key, value) in store)
        {
            var entry = value!.AsObject();
            sum += key.Length + entry["sessionId"]!.GetValue<string>().Length + entry["kind"]!.GetValue<string>().Length;
            sum += (int)(entry["updatedAt"]!.GetValue<long>() & 1);
        }

        return sum;
    }

    [Benchmark(Description = "Floor: read the bytes")]
    [BenchmarkCategory(LoadCategory)]
    public int LoadFloor() => File.ReadAllBytes(_sessionsPath).Length;

    [Benchmark(Description = "JsonDocument: parse, read 3 fields per entry")]
    [BenchmarkCategory(LoadCategory)]
    public int LoadJsonDocument()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(_sessionsPath));
        var sum = 0;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            sum += property.Name.Length + property.Value.GetProperty("sessionId").GetString()!.Length + property.Value.GetProperty("kind").GetString()!.Length;
            sum += (int)(property.Value.GetProperty("updatedAt").GetInt64() & 1);
        }

        return sum;
    }

    [Benchmark(Description = "SessionKinds: ReadSessionsAsync()")]
    [BenchmarkCategory(LoadCategory)]
    public int LoadSessionKinds()
    {
        var sum = 0;
        foreach (var entry in Synchronously.Wait(_store.ReadSessionsAsync()))
        {
            sum += entry.Key.Length + (entry.SessionId?.Length ?? 0) + (int)entry.Kind + (int)((entry.UpdatedAt?.ToUnixTimeMilliseconds() ?? 0) & 1);
        }

        return sum;
    }

    [Benchmark(Description = "SessionKinds: FindSessionAsync(key)")]
    [BenchmarkCategory(LoadCategory)]
    public int FindSessionKinds() => Synchronously.Wait(_store.FindSessionAsync(_userKey))!.Json.Length;

    [Benchmark(Baseline = true, Description = "Naive: rewrite sessions.json + transcript")]
    [BenchmarkCategory(SaveCategory)]
    public void SaveNaive() =>
        _naive.Persist(_userKey, _userEntry, Prompt, Reply, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), continueSession: true);

    [Benchmark(Description = "Floor: atomic write + flushed append of the same bytes")]
    [BenchmarkCategory(SaveCategory)]
    public void SaveFloor()
    {
        AtomicFile.Append(_floorTranscriptPath, _floorTranscriptLines, flushToDisk: true);
        AtomicFile.Replace(_floorSessionsPath, _floorSessions);
    }

    [Benchmark(Description = "SessionKinds: complete a user turn")]
    [BenchmarkCategory(SaveCategory)]
    public SessionOutcome SaveSessionKinds() =>
        Synchronously.Wait(_store.CompleteAsync(_store.StartSession(SessionKind.User, _userKey, Prompt), Reply));
}
