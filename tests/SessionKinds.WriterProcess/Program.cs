// Child process for the multi-process tests of SessionKinds.Tests. Modes:
//   users <folder> <count> <keyPrefix>     complete <count> user sessions "<keyPrefix>:<i>"; prints "done <count>"
//   mixed <folder> <count> <seed> <rotateAtBytes> [archivesToKeep]
//                                          user sessions, heartbeat alerts and acks at random (seeded), rotating at a
//                                          small size; prints "ok <verdict> <key> <sessionId>" after each completed write
//                                          (count 0 = until killed; archivesToKeep default 10)
//   hold-lock <folder>                     takes the folder lock, prints "locked <pid>", and holds it until killed
// Exit code 0 on success, 2 on bad arguments, 1 on a store error (message on stderr).
using System.Globalization;
using SessionKinds;
using SessionKinds.Internal;

if (args.Length < 2)
{
    return Usage();
}

var folder = args[1];
try
{
    switch (args[0])
    {
        case "users" when args.Length == 4:
        {
            var count = int.Parse(args[2], CultureInfo.InvariantCulture);
            using var store = new AgentStore(folder);
            for (var i = 0; i < count; i++)
            {
                var session = store.StartSession(SessionKind.User, $"{args[3]}:{i}", $"prompt {i}");
                store.Complete(session, $"reply {i}");
            }

            Console.WriteLine($"done {count}");
            return 0;
        }

        case "mixed" when args.Length is 5 or 6:
        {
            var count = int.Parse(args[2], CultureInfo.InvariantCulture);
            var random = new Random(int.Parse(args[3], CultureInfo.InvariantCulture));
            using var store = new AgentStore(folder, new AgentStoreOptions
            {
                RotateAtBytes = long.Parse(args[4], CultureInfo.InvariantCulture),
                ArchivesToKeep = args.Length == 6 ? int.Parse(args[5], CultureInfo.InvariantCulture) : AgentStoreOptions.DefaultArchivesToKeep,
            });
            var prefix = $"p{Environment.ProcessId}";
            for (var i = 0; count == 0 || i < count; i++)
            {
                var roll = random.Next(3);
                var kind = roll == 0 ? SessionKind.User : SessionKind.Heartbeat;
                var key = roll == 0 ? $"{prefix}:user:{i}" : $"{prefix}:heartbeat";
                var reply = roll switch
                {
                    0 => $"reply {i}",
                    1 => $"Alert {i}: the disk is almost full",
                    _ => HeartbeatAck.Token,
                };
                var session = store.StartSession(kind, key, $"prompt {i}");
                var outcome = store.Complete(session, reply);
                Console.WriteLine($"ok {outcome.Verdict} {outcome.Key} {outcome.SessionId}");
            }

            return 0;
        }

        case "hold-lock" when args.Length == 2:
        {
            Directory.CreateDirectory(folder);
            var folderLock = new FolderLock(Path.GetFullPath(folder), TimeSpan.FromSeconds(30));
            using var held = folderLock.Acquire();
            Console.WriteLine($"locked {Environment.ProcessId}");
            Thread.Sleep(Timeout.Infinite);
            return 0;
        }

        default:
            return Usage();
    }
}
catch (AgentStoreException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: users <folder> <count> <keyPrefix> | mixed <folder> <count> <seed> <rotateAtBytes> [archivesToKeep] | hold-lock <folder>");
    return 2;
}
