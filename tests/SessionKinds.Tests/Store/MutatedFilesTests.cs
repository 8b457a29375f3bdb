using System.Text;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Seeded random damage to each store file: every operation either works or fails with an <see cref="AgentStoreException"/>.</summary>
public class MutatedFilesTests
{
    private const int Iterations = 150;
    private static readonly byte[] Alphabet = Encoding.UTF8.GetBytes("{}[]\",:\\u0123456789abcdefABCDEF eE-+.truefalsnl\n\t\u00e9\U0001F600");

    [Theory]
    [InlineData("sessions.json", 1)]
    [InlineData("heartbeat-state.json", 2)]
    [InlineData("heartbeat-ring.json", 3)]
    public void Damaged_files_never_crash_an_operation(string file, int seed)
    {
        using var f = new StoreFixture();
        f.Run(SessionKind.User, "agent:main:main", "hello \"world\" é");
        f.Run(SessionKind.Subagent, "agent:main:sub", "done");
        f.Run<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        f.Run<InboxCheck>("agent:main:hb", "Alert: disk full");
        var valid = File.ReadAllBytes(f.Temp.File(file));
        var random = new Random(seed);
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < Iterations; i++)
        {
            var damaged = Mutate(valid, random);
            File.WriteAllBytes(f.Temp.File(file), damaged);
            foreach (var (name, operation) in Operations(f))
            {
                try
                {
                    operation();
                    outcomes[name + ": ok"] = outcomes.GetValueOrDefault(name + ": ok") + 1;
                }
                catch (AgentStoreException ex)
                {
                    outcomes[name + ": " + ex.GetType().Name] = outcomes.GetValueOrDefault(name + ": " + ex.GetType().Name) + 1;
                    if (ex is AgentStoreCorruptFileException corrupt && corrupt.MovedToPath is not null)
                    {
                        Assert.Equal(damaged, File.ReadAllBytes(corrupt.MovedToPath));
                        File.Delete(corrupt.MovedToPath);
                    }
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{name} crashed on iteration {i} (seed {seed}) with {ex.GetType().Name}: {ex.Message}\n{Encoding.UTF8.GetString(damaged)}");
                }

                // Restore the damaged content for the next operation (a write may have repaired or moved it).
                File.WriteAllBytes(f.Temp.File(file), damaged);
            }
        }

        // The damage was varied enough to exercise both sides.
        Assert.Contains(outcomes, o => o.Key.EndsWith(": ok", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.Key.EndsWith(nameof(AgentStoreCorruptFileException), StringComparison.Ordinal));
    }

    private static IEnumerable<(string Name, Action Operation)> Operations(StoreFixture f) =>
    [
        ("read sessions", () => f.Store.ReadSessions()),
        ("read state", () => f.Store.ReadHeartbeatState()),
        ("read ring", () => f.Store.ReadHeartbeatRing()),
        ("user session", () => f.Run(SessionKind.User, "agent:main:main", "again")),
        ("heartbeat ack", () => f.Run<InboxCheck>("agent:main:hb", "HEARTBEAT_OK")),
        ("heartbeat alert", () => f.Run<InboxCheck>("agent:main:hb", "The build failed")),
    ];

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes.RemoveRange(at, bytes.Count - at); // truncate
                    break;
                case 1:
                    bytes[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 2:
                    bytes.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. bytes];
    }
}
