// Child process for the multi-process and crash tests of SessionKinds.Tests. Every mode opens one agent's store of any
// registered engine (tests/Shared/Engines): <mode> <engine> <agent arguments…> [-- <mode arguments…>], e.g.
//   threads file /tmp/x/agent -- 4 250 p0
// Modes:
//   users -- <count> <keyPrefix>           complete <count> user sessions "<keyPrefix>:<i>"; prints "done <count>"
//   mixed -- <count> <seed> [name=value…]  user and subagent sessions, heartbeat alerts and acks of the generated task
//                                          LedgerCheck, explicit-kind heartbeat acks, and cron output and silent runs of
//                                          the generated task NightlyReport, at random (seeded). name=value pairs are
//                                          store settings: cronRunsToKeep, or the engine's (file: rotateAtBytes,
//                                          entriesKeptAfterRotation, archivesToKeep). Before each write prints
//                                          "begin <tag> <what> <key> <sessionId>", after it "ok <verdict> <key> <sessionId>
//                                          <tag> <what>", where <tag> ("p<pid>-<i>") is unique and appears in the write's
//                                          texts (see WriterReplies) and <what> is one of WriterReplies.What.
//                                          (count 0 = until killed)
//   threads -- <threads> <perThread> <keyPrefix>
//                                          <threads> threads share one store; each completes <perThread> user sessions
//                                          "<keyPrefix>:t<t>:<i>", each followed by a heartbeat ack (even threads: explicit
//                                          kind, default ring of 50; odd threads: generated task PulseCheck, ring of 20);
//                                          prints "done <sessions> <acks>"
//   hold-lock                              takes the store's write lock, prints "locked <pid>", holds it until killed
//   try-lock                               tries the write lock once without waiting: prints "locked <pid>" (exit 0) or
//                                          "busy" (exit 3)
//   claim -- <claimant> <tasks> <dueMs> <seed>
//                                          tries to claim the occurrence due at <dueMs> (epoch ms) of each task "Task<i>",
//                                          i < <tasks>, in a seeded order, with a lease of one hour; prints "<status> Task<i>
//                                          <claimant>" for each, then "done"
//   die-at -- <step> <key>                 completes a heartbeat alert of LedgerCheck under <key> and kills itself with
//                                          SIGKILL when the commit reaches <step> (one of the engine's commit steps);
//                                          prints "begin <sessionId>" first
// Exit code 0 on success, 2 on bad arguments, 1 on a store error (message on stderr).
using System.Diagnostics;
using System.Globalization;
using SessionKinds;
using SessionKinds.Tests.Engines;
using SessionKinds.WriterProcess;

if (args.Length < 3)
{
    return Usage();
}

var separator = Array.IndexOf(args, "--");
var agentArguments = separator < 0 ? args[2..] : args[2..separator];
var modeArguments = separator < 0 ? [] : args[(separator + 1)..];
StoreAgent agent;
try
{
    agent = StoreEngines.Get(args[1]).OpenAgent(agentArguments);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return Usage();
}

try
{
    switch (args[0])
    {
        case "users" when modeArguments.Length == 2:
        {
            var count = int.Parse(modeArguments[0], CultureInfo.InvariantCulture);
            await using var store = agent.Open(new StoreSettings(TimeProvider.System));
            for (var i = 0; i < count; i++)
            {
                var session = store.StartSession(SessionKind.User, $"{modeArguments[1]}:{i}", $"prompt {i}");
                await store.CompleteAsync(session, $"reply {i}");
            }

            Console.WriteLine($"done {count}");
            return 0;
        }

        case "mixed" when modeArguments.Length >= 2:
        {
            var count = int.Parse(modeArguments[0], CultureInfo.InvariantCulture);
            var random = new Random(int.Parse(modeArguments[1], CultureInfo.InvariantCulture));
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in modeArguments[2..])
            {
                var (name, value) = pair.Split('=', 2) is [var n, var v] ? (n, v) : throw new ArgumentException($"not name=value: {pair}");
                settings[name] = value;
            }

            var cronRunsToKeep = settings.Remove("cronRunsToKeep", out var runs) ? int.Parse(runs, CultureInfo.InvariantCulture) : SessionStoreOptions.DefaultCronRunsToKeep;
            await using var store = agent.Open(new StoreSettings(TimeProvider.System) { CronRunsToKeep = cronRunsToKeep, EngineSettings = settings });
            var prefix = $"p{Environment.ProcessId}";
            for (var i = 0; count == 0 || i < count; i++)
            {
                var tag = $"{prefix}-{i}";
                var what = WriterReplies.What[random.Next(WriterReplies.What.Length)];
                var (session, reply) = what switch
                {
                    "user" => (store.StartSession(SessionKind.User, $"{prefix}:user:{i}", WriterReplies.Prompt(tag)), WriterReplies.Conversation(tag)),
                    "subagent" => (store.StartSession(SessionKind.Subagent, $"{prefix}:sub:{i}", WriterReplies.Prompt(tag)), WriterReplies.Conversation(tag)),
                    "ledger-alert" => (store.StartSession<LedgerCheck>($"{prefix}:ledger:{i}", WriterReplies.Prompt(tag)), WriterReplies.Alert(tag)),
                    "ledger-ack" => (store.StartSession<LedgerCheck>($"{prefix}:ledger:{i}", WriterReplies.Prompt(tag)), WriterReplies.Ack(tag)),
                    "explicit-ack" => (store.StartSession(SessionKind.Heartbeat, $"{prefix}:explicit", WriterReplies.Prompt(tag)), WriterReplies.Ack(tag)),
                    "cron-output" => (store.StartSession<NightlyReport>($"{prefix}:cron:{i}", WriterReplies.Prompt(tag)), WriterReplies.CronOutput(tag)),
                    _ => (store.StartSession<NightlyReport>($"{prefix}:cron:{i}", WriterReplies.Prompt(tag)), WriterReplies.CronSilent),
                };
                Console.WriteLine($"begin {tag} {what} {session.Key} {session.SessionId}");
                var outcome = await store.CompleteAsync(session, reply);
                Console.WriteLine($"ok {outcome.Verdict} {outcome.Key} {outcome.SessionId} {tag} {what}");
            }

            return 0;
        }

        case "threads" when modeArguments.Length == 3:
        {
            var threads = int.Parse(modeArguments[0], CultureInfo.InvariantCulture);
            var perThread = int.Parse(modeArguments[1], CultureInfo.InvariantCulture);
            var prefix = modeArguments[2];
            await using var store = agent.Open(new StoreSettings(TimeProvider.System) { WaitTimeout = TimeSpan.FromMinutes(2) });
            var sessions = 0;
            var acks = 0;
            await Parallel.ForAsync(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, async (t, _) =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    await store.CompleteAsync(store.StartSession(SessionKind.User, $"{prefix}:t{t}:{i}", $"prompt {prefix} {t} {i}"), $"reply {prefix} {t} {i}");
                    Interlocked.Increment(ref sessions);
                    var outcome = t % 2 == 0
                        ? await store.CompleteAsync(store.StartSession(SessionKind.Heartbeat, $"{prefix}:t{t}:hb"), HeartbeatAck.Token)
                        : await store.RunAsync(new PulseCheck(), $"{prefix}:t{t}:pulse");
                    if (outcome.Verdict == ReplyVerdict.Ack)
                    {
                        Interlocked.Increment(ref acks);
                    }
                }
            });

            Console.WriteLine($"done {sessions} {acks}");
            return 0;
        }

        case "hold-lock" when modeArguments.Length == 0:
        {
            await using var held = await agent.HoldWriteLockAsync();
            Console.WriteLine($"locked {Environment.ProcessId}");
            await Task.Delay(Timeout.Infinite);
            return 0;
        }

        case "try-lock" when modeArguments.Length == 0:
        {
            await using var held = await agent.TryHoldWriteLockNowAsync();
            if (held is null)
            {
                Console.WriteLine("busy");
                return 3;
            }

            Console.WriteLine($"locked {Environment.ProcessId}");
            return 0;
        }

        case "claim" when modeArguments.Length == 4:
        {
            var claimant = modeArguments[0];
            var tasks = int.Parse(modeArguments[1], CultureInfo.InvariantCulture);
            var due = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(modeArguments[2], CultureInfo.InvariantCulture));
            var random = new Random(int.Parse(modeArguments[3], CultureInfo.InvariantCulture));
            await using var store = agent.Open(new StoreSettings(TimeProvider.System));
            foreach (var i in Enumerable.Range(0, tasks).OrderBy(_ => random.Next()))
            {
                var result = await store.TryClaimOccurrenceAsync($"Task{i}", due, claimant, TimeSpan.FromHours(1));
                Console.WriteLine($"{result.Status} Task{i} {claimant}");
            }

            Console.WriteLine("done");
            return 0;
        }

        case "die-at" when modeArguments.Length == 2:
        {
            var step = agent.Engine.CommitSteps.SingleOrDefault(s => s.Name == modeArguments[0])
                ?? throw new ArgumentException($"no commit step \"{modeArguments[0]}\"; the engine has: {string.Join(", ", agent.Engine.CommitSteps)}");
            await using var store = agent.Open(new StoreSettings(TimeProvider.System));
            var session = store.StartSession<LedgerCheck>(modeArguments[1], "prompt die-at");
            Console.WriteLine($"begin {session.SessionId}");
            using (agent.FailAt(step, instead: () => Process.GetCurrentProcess().Kill()))
            {
                await store.CompleteAsync(session, "Alert die-at: the disk is almost full");
            }

            Console.Error.WriteLine($"the commit never reached step {step}");
            return 1;
        }

        default:
            return Usage();
    }
}
catch (SessionStoreException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
finally
{
    await agent.DisposeAsync();
}

static int Usage()
{
    Console.Error.WriteLine(
        "usage: <mode> <engine> <agent arguments…> [-- <mode arguments…>], modes: users -- <count> <keyPrefix> | " +
        "mixed -- <count> <seed> [name=value…] | threads -- <threads> <perThread> <keyPrefix> | hold-lock | try-lock | claim -- <claimant> <tasks> <dueMs> <seed> | die-at -- <step> <key>");
    return 2;
}
