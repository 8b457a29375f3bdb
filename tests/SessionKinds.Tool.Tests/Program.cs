using System.Globalization;
using SessionKinds;

namespace SessionKinds.Tool.Tests;

/// <summary>
/// The test assembly doubles as a small program: <c>generate &lt;folder&gt; &lt;entries&gt;</c> writes a gateway-shaped
/// agent folder (<see cref="Testing.GatewayFolders"/>), and it is the child writer of ConcurrentCompactTests:
/// <c>dotnet SessionKinds.Tool.Tests.dll writer &lt;folder&gt; &lt;stopFile&gt; &lt;heartbeatKeysFile&gt;</c> writes through
/// a <see cref="FileSessionStore"/> until the stop file exists, in turn: a user session on a new key, a heartbeat alert
/// continuing one of the listed (acknowledged) heartbeat keys, a subagent on a new key. After each completed write it
/// prints <c>ok &lt;key&gt; &lt;sessionId&gt; &lt;tag&gt;</c>, the tag being part of the reply. Exit 0, or 1 with the error.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["generate", var target, var count])
        {
            var entries = Testing.GatewayFolders.Create(target, int.Parse(count, CultureInfo.InvariantCulture));
            Console.WriteLine($"{entries.Count} entries in {Path.Combine(target, "sessions.json")}");
            return 0;
        }

        if (args is not ["writer", var folder, var stopFile, var keysFile])
        {
            Console.Error.WriteLine("usage: writer <folder> <stopFile> <heartbeatKeysFile>");
            return 2;
        }

        try
        {
            var heartbeatKeys = await File.ReadAllLinesAsync(keysFile);
            await using var store = new FileSessionStore(folder, new FileSessionStoreOptions { LockTimeout = TimeSpan.FromMinutes(2) });
            Console.WriteLine("started");
            for (var i = 0; !File.Exists(stopFile); i++)
            {
                var tag = string.Create(CultureInfo.InvariantCulture, $"w{Environment.ProcessId}-{i}");
                var (kind, key, reply) = (i % 3) switch
                {
                    0 => (SessionKind.User, $"agent:main:dm:writer-{i}", $"reply {tag}"),
                    1 => (SessionKind.Heartbeat, heartbeatKeys[i / 3 % heartbeatKeys.Length], $"ALERT {tag}: the backup disk is 97% full."),
                    _ => (SessionKind.Subagent, $"agent:main:subagent:writer-{i}", $"result {tag}"),
                };
                var outcome = await store.CompleteAsync(store.StartSession(kind, key, $"prompt {tag}"), reply);
                Console.WriteLine($"ok {outcome.Key} {outcome.SessionId} {tag}");
            }

            return 0;
        }
        catch (SessionStoreException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }
}
