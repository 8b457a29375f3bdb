using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using Spectre.Console;
using SessionKinds.Tool.Compact;
using SessionKinds.Tool.Import;
using SessionKinds.Tool.Inspect;
using SessionKinds.Tool.Store;

namespace SessionKinds.Tool.Cli;

/// <summary>
/// The <c>sessionkinds</c> command line. Exit codes follow the dotnet CLI's conventions: 0 success, 1 a problem with the
/// input (the message names the file and the line or key, and says what to do; nothing was changed), 2 a usage error.
/// Results go to standard output, errors to standard error.
/// </summary>
internal static class SessionKindsCli
{
    public const int Success = 0;
    public const int InputProblem = 1;
    public const int UsageError = 2;

    /// <summary>Runs the tool in-process with the given writers and clock (the entry point and the tests call this).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        var console = CreateConsole(ref output);
        var root = Build(console, output, time);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"Run 'sessionkinds {string.Join(' ', CommandPath(parse))}--help' for usage.").ConfigureAwait(false);
            return UsageError;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (InputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return InputProblem;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file the tool could not read or write (permissions, a vanished folder, a full disk): not a bug, say what.
            await error.WriteLineAsync($"error: {ex.Message} Check that the agent folder and its files are readable (and, for compact, writable) by you.").ConfigureAwait(false);
            return InputProblem;
        }
        finally
        {
            output.Flush();
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult command && command.Command is not RootCommand; result = result.Parent)
        {
            names.Insert(0, command.Command.Name + " ");
        }

        return names;
    }

    private static RootCommand Build(IAnsiConsole console, TextWriter output, TimeProvider time)
    {
        var root = new RootCommand(
            "Inspects and compacts the sessions.json stores of AI-agent gateways (an agent folder: sessions.json and <sessionId>.jsonl transcripts), " +
            "and imports an agent folder into a SQLite or PostgreSQL store. " +
            "Exit codes: 0 success, 1 a problem with the input (nothing changed), 2 usage error.");
        root.Subcommands.Add(InspectCommandLine(console, output));
        root.Subcommands.Add(CompactCommandLine(console, time));
        root.Subcommands.Add(ImportCommandLine(console));
        return root;
    }

    private static Argument<string> StoreArgument(string verb) => new("store")
    {
        Description = $"The agent folder (e.g. ~/.openclaw/agents/main/sessions) or its sessions.json to {verb}.",
        HelpName = "folder | sessions.json",
    };

    private static Command InspectCommandLine(IAnsiConsole console, TextWriter output)
    {
        var store = StoreArgument("inspect");
        var json = new Option<bool>("--json") { Description = "Print the report as JSON for scripts (schema sessionkinds-inspect/1)." };
        var command = new Command(
            "inspect",
            "Entries and bytes by kind (the kind field, else the gateway's key shape; 'unknown' when neither says), oldest and newest entry, " +
            "the ten biggest entries and their biggest fields, transcripts per kind, entries per day, and keys that appear twice. Changes nothing.")
        {
            store,
            json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var location = StoreLocation.Resolve(parse.GetValue(store)!);
            var scan = StoreScan.Read(location.SessionsPath);
            var report = InspectReport.Create(location, scan);
            if (parse.GetValue(json))
            {
                using var buffer = new MemoryStream();
                InspectJson.Write(buffer, report);
                output.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            }
            else
            {
                InspectText.Write(console, report);
            }

            return Task.FromResult(Success);
        });
        return command;
    }

    private static Command CompactCommandLine(IAnsiConsole console, TimeProvider time)
    {
        var store = StoreArgument("compact");
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and change nothing." };
        var keep = new Option<TimeSpan?>("--keep")
        {
            Description = $"Also remove cron run entries (…cron:<job>:run:<id>) whose updatedAt is older than this, whatever they replied; {Durations.Syntax}.",
            HelpName = "duration",
            CustomParser = result => ParseDuration(result),
        };
        var ackMaxChars = new Option<int>("--ack-max-chars")
        {
            Description = "Text beside HEARTBEAT_OK that still counts as an acknowledgement, in characters (the gateway's ackMaxChars).",
            DefaultValueFactory = _ => HeartbeatSessionAttribute.DefaultAckMaxChars,
        };
        ackMaxChars.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--ack-max-chars must be 0 or more.");
            }
        });
        var lockStale = new Option<TimeSpan?>("--lock-stale")
        {
            Description = $"Age after which the gateway's sessions.json.lock counts as stale (left by a gateway that died) and is replaced; {Durations.Syntax}. Default: {Durations.Format(GatewayLock.DefaultStaleAfter)}.",
            HelpName = "duration",
            CustomParser = result => ParseDuration(result),
        };
        var command = new Command(
            "compact",
            "Removes what the routing table would never have kept: acknowledged heartbeat entries and their transcripts, silent cron run entries, " +
            "and with --keep cron run entries older than that. Writes a sessions-<timestamp>.json.gz backup first, takes the store's lock, " +
            "refuses while the gateway's sessions.json.lock is fresh, and keeps every other entry byte for byte.")
        {
            store,
            dryRun,
            keep,
            ackMaxChars,
            lockStale,
        };
        command.SetAction((parse, cancellationToken) => CompactCommand.RunAsync(
            new CompactOptions(
                parse.GetValue(store)!,
                parse.GetValue(dryRun),
                parse.GetValue(keep),
                parse.GetValue(ackMaxChars),
                parse.GetValue(lockStale) ?? GatewayLock.DefaultStaleAfter),
            console,
            time,
            cancellationToken));
        return command;
    }

    private static Command ImportCommandLine(IAnsiConsole console)
    {
        var folder = new Argument<string>("folder")
        {
            Description = "The agent folder to import (e.g. ~/.openclaw/agents/main/sessions, or a FileSessionStore folder). It is only read.",
            HelpName = "folder",
        };
        var to = new Option<ImportDestination>("--to")
        {
            Description = $"Where to import: {ImportDestination.Syntax}.",
            HelpName = "engine:target",
            Required = true,
            CustomParser = result =>
            {
                var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                var destination = ImportDestination.Parse(token, out var problem);
                if (destination is null)
                {
                    result.AddError(problem!);
                }

                return destination;
            },
        };
        var agent = new Option<string?>("--agent")
        {
            Description = "The agent id to import as. Default: the folder's name, or for the gateway's agents/<agentId>/sessions layout, <agentId>.",
            HelpName = "id",
        };
        var schema = new Option<string?>("--schema")
        {
            Description = $"The PostgreSQL schema (postgres only). Default: {PostgresSessionStoreOptions.DefaultSchema}.",
            HelpName = "name",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read the folder and run the whole import in a transaction that is rolled back: the report, and nothing written." };
        var command = new Command(
            "import",
            "Imports an agent folder (sessions.json with every field of every entry, transcripts, heartbeat state and rings, cron runs) into a SQLite or " +
            "PostgreSQL store for one agent, in one transaction. Refuses an agent that already holds data (nothing is merged). The folder is left byte for byte as it was.")
        {
            folder,
            to,
            agent,
            schema,
            dryRun,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(schema) is not null && result.GetValue(to) is SqliteDestination)
            {
                result.AddError("--schema applies to --to postgres:… only (a SQLite database has no schemas).");
            }
        });
        command.SetAction((parse, cancellationToken) => ImportCommand.RunAsync(
            new ImportOptions(parse.GetValue(folder)!, parse.GetValue(to)!, parse.GetValue(agent), parse.GetValue(schema), parse.GetValue(dryRun)),
            console,
            cancellationToken));
        return command;
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (Durations.TryParse(token, out var duration))
        {
            return duration;
        }

        result.AddError($"'{token}' is not a duration for {((OptionResult)result.Parent!).Option.Name}: use {Durations.Syntax}.");
        return null;
    }

    /// <summary>
    /// A Spectre console on <paramref name="output"/>: colours and progress only on a terminal; otherwise 160 columns
    /// without trailing white space (<paramref name="output"/> is then replaced by the trimming writer).
    /// </summary>
    private static IAnsiConsole CreateConsole(ref TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        if (!terminal)
        {
            output = new TrimmingWriter(output);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
