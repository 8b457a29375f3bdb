// Child process for the multi-process and crash tests of SessionKinds.Tests. Modes:
//   users <folder> <count> <keyPrefix>     complete <count> user sessions "<keyPrefix>:<i>"; prints "done <count>"
//   mixed <folder> <count> <seed> <rotateAtBytes> [archivesToKeep] [entriesKept]
//                                          user and subagent sessions, heartbeat alerts and acks of the generated task
//                                          LedgerCheck, and explicit-kind heartbeat acks, at random (seeded), rotating
//                                          at a small size. After each completed write prints
//                                          "ok <verdict> <key> <sessionId> <tag> <what>" where <tag> ("p<pid>-<i>") is
//                                          unique and appears in the write's text (see WriterReplies) and <what> is
//                                          user|subagent|ledger-alert|ledger-ack|explicit-ack.
//                                          (count 0 = until killed; archivesToKeep default 10; entriesKept default 100)
//   threads <folder> <threads> <sessionsPerThread> <keyPrefix>
//                                          <threads> threads share one store; each completes <sessionsPerThread> user
//                                          sessions "<keyPrefix>:t<t>:<i>", each followed by a heartbeat ack (even threads:
//                                          explicit kind, default ring of 50; odd threads: generated task PulseCheck,
//                                          ring of 20); prints "done <sessions> <acks>"
//   hold-lock <folder>                     takes the folder lock, prints "locked <pid>", and holds it until killed
//   try-lock <folder>                      tries the folder lock once without waiting: prints "locked <pid>" (exit 0)
//                                          or "busy" (exit 3)
// Exit code 0 on success, 2 on bad arguments, 1 on a store error (message on stderr).
using System.Globalization;
using SessionKinds;
using SessionKinds.Internal;
using SessionKinds.WriterProcess;

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

        case "mixed" when args.Length is >= 5 and <= 7:
        {
            var count = int.Parse(args[2], CultureInfo.InvariantCulture);
            var random = new Random(int.Parse(args[3], CultureInfo.InvariantCulture));
            using var store = new AgentStore(folder, new AgentStoreOptions
            {
                RotateAtBytes = long.Parse(args[4], CultureInfo.InvariantCulture),
                ArchivesToKeep = args.Length >= 6 ? int.Parse(args[5], CultureInfo.InvariantCulture) : AgentStoreOptions.DefaultArchivesToKeep,
                EntriesKeptAfterRotation = args.Length >= 7 ? int.Parse(args[6], CultureInfo.InvariantCulture) : AgentStoreOptions.DefaultEntriesKeptAfterRotation,
            });
            var prefix = $"p{Environment.ProcessId}";
            var ledger = new LedgerCheck();
            for (var i = 0; count == 0 || i < count; i++)
            {
                var tag = $"{prefix}-{i}";
                var what = WriterReplies.What[random.Next(WriterReplies.What.Length)];
                var outcome = what switch
                {
                    "user" => store.Complete(store.StartSession(SessionKind.User, $"{prefix}:user:{i}", WriterReplies.Prompt(tag)), WriterReplies.Conversation(tag)),
                    "subagent" => store.Complete(store.StartSession(SessionKind.Subagent, $"{prefix}:sub:{i}", WriterReplies.Prompt(tag)), WriterReplies.Conversation(tag)),
                    "ledger-alert" => store.RunAsync(ledger.Next(WriterReplies.Alert(tag)), $"{prefix}:ledger", WriterReplies.Prompt(tag)).AsTask().GetAwaiter().GetResult(),
                    "ledger-ack" => store.RunAsync(ledger.Next(WriterReplies.Ack(tag)), $"{prefix}:ledger", WriterReplies.Prompt(tag)).AsTask().GetAwaiter().GetResult(),
                    _ => store.Complete(store.StartSession(SessionKind.Heartbeat, $"{prefix}:explicit", WriterReplies.Prompt(tag)), WriterReplies.Ack(tag)),
                };
                Console.WriteLine($"ok {outcome.Verdict} {outcome.Key} {outcome.SessionId} {tag} {what}");
            }

            return 0;
        }

        case "threads" when args.Length == 5:
        {
            var threads = int.Parse(args[2], CultureInfo.InvariantCulture);
            var perThread = int.Parse(args[3], CultureInfo.InvariantCulture);
            var prefix = args[4];
            using var store = new AgentStore(folder, new AgentStoreOptions { LockTimeout = TimeSpan.FromMinutes(2) });
            var sessions = 0;
            var acks = 0;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    store.Complete(store.StartSession(SessionKind.User, $"{prefix}:t{t}:{i}", $"prompt {prefix} {t} {i}"), $"reply {prefix} {t} {i}");
                    Interlocked.Increment(ref sessions);
                    var outcome = t % 2 == 0
                        ? store.Complete(store.StartSession(SessionKind.Heartbeat, $"{prefix}:t{t}:hb"), HeartbeatAck.Token)
                        : store.RunAsync(new PulseCheck(), $"{prefix}:t{t}:pulse").AsTask().GetAwaiter().GetResult();
                    if (outcome.Verdict == ReplyVerdict.Ack)
                    {
                        Interlocked.Increment(ref acks);
                    }
                }
            });

            Console.WriteLine($"done {sessions} {acks}");
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

        case "try-lock" when args.Length == 2:
        {
            var folderLock = new FolderLock(Path.GetFullPath(folder), TimeSpan.Zero);
            if (folderLock.TryAcquireNow() is not FolderLock.Held held)
            {
                Console.WriteLine("busy");
                return 3;
            }

            using (held)
            {
                Console.WriteLine($"locked {Environment.ProcessId}");
            }

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
    Console.Error.WriteLine(
        "usage: users <folder> <count> <keyPrefix> | mixed <folder> <count> <seed> <rotateAtBytes> [archivesToKeep] [entriesKept] | " +
        "threads <folder> <threads> <sessionsPerThread> <keyPrefix> | hold-lock <folder> | try-lock <folder>");
    return 2;
}
