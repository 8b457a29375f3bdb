using System.Globalization;

namespace HeartbeatAgent;

/// <summary>Command-line options of the sample.</summary>
internal sealed record SimulationOptions(int Days, int Agents, string OutputFolder, int Seed, bool Live = false)
{
    public const string Usage = """
        HeartbeatAgent: runs AI agents with all four session kinds through the Generic Host and the SessionKinds
        scheduler on a fast-forwarded clock, and compares the agent folders SessionKinds writes with the same
        workload persisted the naive way (every session a full sessions.json entry and transcript, as gateways
        did before).

        Usage: dotnet run --project samples/HeartbeatAgent -- [options]

          --days <n>     simulated days (default 30)
          --agents <n>   agents, each with its own folder (default 1)
          --out <dir>    output folder (default: a new folder under the system temp folder)
          --seed <n>     seed of the scripted model (default 42)
          --live         run one agent on the real clock until Ctrl+C, then print the comparison
          --help         show this help
        """;

    /// <summary>Parses the arguments; returns null and an error message when they are wrong, or null and no error for --help.</summary>
    public static SimulationOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var days = 30;
        var agents = 1;
        var seed = 42;
        string? output = null;
        var live = false;
        error = null;

        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h" or "-?":
                    return null;
                case "--days":
                    if (!TryReadCount(args, ref i, 1, 3650, out days, out error)) { return null; }
                    break;
                case "--agents":
                    if (!TryReadCount(args, ref i, 1, 1000, out agents, out error)) { return null; }
                    break;
                case "--seed":
                    if (!TryReadCount(args, ref i, 0, int.MaxValue, out seed, out error)) { return null; }
                    break;
                case "--live":
                    live = true;
                    break;
                case "--out":
                    if (i + 1 >= args.Count) { error = "--out needs a folder, e.g. --out ./agent-run"; return null; }
                    output = args[++i];
                    break;
                default:
                    error = $"Unknown option '{args[i]}'. Run with --help to see the options.";
                    return null;
            }
        }

        output ??= Path.Combine(Path.GetTempPath(), "heartbeat-agent-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        return new SimulationOptions(days, agents, Path.GetFullPath(output), seed, live);
    }

    private static bool TryReadCount(IReadOnlyList<string> args, ref int i, int min, int max, out int value, out string? error)
    {
        var option = args[i];
        value = 0;
        if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"{option} needs a whole number from {min} to {max}.";
            return false;
        }

        i++;
        error = null;
        return true;
    }
}
