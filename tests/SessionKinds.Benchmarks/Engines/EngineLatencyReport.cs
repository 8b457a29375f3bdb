using System.Globalization;
using System.Text;
using System.Text.Json;
using HeartbeatAgent;
using SessionKinds.Benchmarks.Infrastructure;
using SessionKinds.Benchmarks.Runtime;

namespace SessionKinds.Benchmarks.Engines;

/// <summary>
/// A heartbeat ack (the sample's generated <see cref="InboxCheck"/>, ring of 50, already full) and a chat turn (one more
/// turn of an existing user session: its entry updated, two transcript lines appended), on stores seeded with 100, 2,000
/// and 20,000 gateway-shaped entries (<see cref="GatewayStore"/>), for every engine and for the naive full rewrite
/// (<see cref="NaiveGateway"/>), measured interleaved in one process (<see cref="PairedRuns"/>). Flat in store size is the
/// target: the ratio to the same engine at 100 sessions.
/// </summary>
internal static class EngineLatencyReport
{
    private const string HeartbeatKey = "agent:main:heartbeat";
    private const string NaiveAckKey = "agent:main:heartbeat:latest";
    private const string Prompt = "Check the inbox. Reply HEARTBEAT_OK if nothing needs attention.";
    private const string ChatPrompt = "Can you summarise the thread with Priya about the offsite?";
    private const string ChatReply = "Here is what I found: three relevant messages, the latest from yesterday evening. I can open any of them for you.";

    public static async Task<string> RunAsync(IReadOnlyList<int> sizes, int rounds)
    {
        var folders = new List<string>();
        var stores = new List<SessionStore>();
        try
        {
            var rows = new List<Row>();
            foreach (var size in sizes)
            {
                var gateway = BenchFolders.Create($"engines-gateway-{size}");
                folders.Add(gateway);
                var sessions = GatewayStore.Create(size);
                File.WriteAllBytes(Path.Combine(gateway, "sessions.json"), sessions);
                var userKey = FirstUserKey(sessions);
                foreach (var engine in BenchEngines.All)
                {
                    var work = BenchFolders.Create($"engines-{engine.Name}-{size}");
                    folders.Add(work);
                    await engine.SeedAsync(work, "main", gateway);
                    var store = await engine.OpenAsync(work, "main");
                    stores.Add(store);
                    Action ack = () => Synchronously.Wait(store.CompleteAsync(store.StartSession<InboxCheck>(HeartbeatKey, Prompt), "HEARTBEAT_OK"));
                    Action chat = () => Synchronously.Wait(store.CompleteAsync(store.StartSession(SessionKind.User, userKey, ChatPrompt), ChatReply));
                    for (var i = 0; i < 55; i++)
                    {
                        ack(); // a full ring: every measured ack writes the same
                    }

                    rows.Add(new(size, "ack", engine.Name, new($"{engine.Name} ack {size}", ack, BenchRun.Count(10, 1))));
                    rows.Add(new(size, "chat turn", engine.Name, new($"{engine.Name} chat {size}", chat, BenchRun.Count(size >= 20_000 && engine is FileBenchEngine ? 2 : 5, 1))));
                }

                var naiveFolder = BenchFolders.Create($"engines-naive-{size}");
                folders.Add(naiveFolder);
                File.WriteAllBytes(Path.Combine(naiveFolder, "sessions.json"), sessions);
                var naive = new NaiveGateway(naiveFolder);
                var ackEntry = GatewayStore.CreateEntry(size, heartbeat: true);
                var userEntry = JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(sessions).RootElement.GetProperty(userKey));
                naive.Persist(NaiveAckKey, ackEntry, Prompt, "HEARTBEAT_OK", GatewayStore.StartMs); // the store keeps its size from here on
                var perRound = BenchRun.Count(size switch { 100 => 5, 2_000 => 2, _ => 1 }, 1);
                rows.Add(new(size, "ack", "naive", new($"naive ack {size}", () => naive.Persist(NaiveAckKey, ackEntry, Prompt, "HEARTBEAT_OK", Now()), perRound)));
                rows.Add(new(size, "chat turn", "naive", new($"naive chat {size}", () => naive.Persist(userKey, userEntry, ChatPrompt, ChatReply, Now(), continueSession: true), perRound)));
            }

            var runs = PairedRuns.Measure([.. rows.Select(r => r.Operation)], rounds);
            var table = new StringBuilder();
            table.AppendLine(CultureInfo.InvariantCulture, $"Ack and chat-turn completion, {rounds} interleaved rounds (median of every invocation):");
            table.AppendLine();
            table.AppendLine("| operation | sessions | engine | median ms | mean ms | / same engine at 100 sessions [95% CI] | / naive, same size [95% CI] |");
            table.AppendLine("|---|---:|---|---:|---:|---:|---:|");
            foreach (var row in rows.OrderBy(r => r.Name).ThenBy(r => r.Size).ThenBy(r => EngineOrder(r.Engine)))
            {
                var smallest = rows.First(r => r.Name == row.Name && r.Engine == row.Engine).Operation;
                var naive = rows.Single(r => r.Name == row.Name && r.Size == row.Size && r.Engine == "naive").Operation;
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Name} | {row.Size:N0} | {row.Engine} | {runs.MedianMs(row.Operation):0.000} | {runs.MeanMs(row.Operation):0.000} | {runs.Ratio(row.Operation, smallest)} | {runs.Ratio(row.Operation, naive)} |");
            }

            return table.ToString();
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            foreach (var folder in folders)
            {
                BenchFolders.Delete(folder);
            }
        }
    }

    private static int EngineOrder(string engine) => engine == "naive" ? int.MaxValue : BenchEngines.All.ToList().FindIndex(e => e.Name == engine);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string FirstUserKey(byte[] sessions)
    {
        using var document = JsonDocument.Parse(sessions);
        return document.RootElement.EnumerateObject().First(p => p.Value.TryGetProperty("kind", out var kind) && kind.GetString() == "user").Name;
    }

    private sealed record Row(int Size, string Name, string Engine, PairedRuns.Operation Operation);
}
