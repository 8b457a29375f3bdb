using System.Globalization;
using System.Text;
using SessionKinds.Benchmarks.Infrastructure;

namespace SessionKinds.Benchmarks.CompileTime;

/// <summary>
/// The sources of the two synthetic projects the compile-time benchmarks build, the same shape for both:
/// <see cref="FileCount"/> files of <see cref="PerFile"/> attributed members each, every one also called once from a
/// method in its file, plus one unrelated file with no attributed member.
/// <list type="bullet">
/// <item><b>Tasks</b>: 1,000 <c>partial</c> task classes, 250 per kind (user, heartbeat with its own ring file, cron with a
/// valid schedule, subagent), each with a small <c>RunAsync</c> body, started once through
/// <c>SessionStore.StartSession&lt;TTask&gt;</c>, plus one explicit-kind start per file (so SKND0002 has work).</item>
/// <item><b>Logging</b>: 1,000 <c>[LoggerMessage]</c> methods with three template parameters in 200 <c>static partial</c>
/// classes, each called once.</item>
/// </list>
/// </summary>
internal static class SyntheticSources
{
    public const int PerFile = 5;

    /// <summary>200 files; 8 in a smoke run (40 members, 10 per kind), which only checks that everything runs.</summary>
    public static int FileCount => BenchRun.Count(200, 8);

    public static int Members => FileCount * PerFile;

    /// <summary>The default ring size written on every heartbeat task; the RingSize edit changes one of them.</summary>
    public const int RingSize = 50;

    /// <summary>The unrelated file's path.</summary>
    public const string UnrelatedPath = "Agents/Support/TextFormatting.cs";

    public static string TaskFilePath(int file) => $"Agents/Area{file % 20:00}/Tasks{file:000}.cs";

    public static string LogFilePath(int file) => $"Agents/Area{file % 20:00}/Log{file:000}.cs";

    /// <summary>The kind of task <paramref name="index"/>: user, heartbeat, cron, subagent in turn (250 each).</summary>
    public static string KindOf(int index) => (index % 4) switch
    {
        0 => "User",
        1 => "Heartbeat",
        2 => "Cron",
        _ => "Subagent",
    };

    /// <summary>
    /// One task file. <paramref name="bodyMarker"/> changes a string literal in the first task's method body;
    /// <paramref name="ringSizeOfFirstHeartbeat"/> changes the first heartbeat task's <c>RingSize</c>.
    /// </summary>
    public static string TaskFile(int file, string bodyMarker = "v1", int ringSizeOfFirstHeartbeat = RingSize)
    {
        var text = new StringBuilder(4096);
        text.Append(CultureInfo.InvariantCulture, $$"""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using SessionKinds;

            namespace Agents.Area{{file % 20:00}};

            """);

        var firstHeartbeat = true;
        for (var j = 0; j < PerFile; j++)
        {
            var index = file * PerFile + j;
            var name = TaskName(index);
            var kind = KindOf(index);
            var attribute = kind switch
            {
                "Heartbeat" => $"[HeartbeatSession(RingSize = {(firstHeartbeat ? ringSizeOfFirstHeartbeat : RingSize)}, RingFile = \"heartbeat-ring-{name.ToLowerInvariant()}.json\")]",
                "Cron" => $"[CronSession(\"{index % 60} {index % 24} * * *\")]",
                _ => $"[{kind}Session]",
            };
            firstHeartbeat &= kind != "Heartbeat";
            var marker = j == 0 ? bodyMarker : "v1";
            text.Append(CultureInfo.InvariantCulture, $$"""

                /// <summary>Synthetic {{kind.ToLowerInvariant()}} task {{index}}.</summary>
                {{attribute}}
                public sealed partial class {{name}} : IAgentTask
                {
                    private static readonly string[] Words = ["alpha", "beta", "gamma", "{{name}}"];

                    public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken)
                    {
                        var prompt = context.Prompt ?? string.Empty;
                        var hits = 0;
                        foreach (var word in Words)
                        {
                            if (prompt.Contains(word, StringComparison.Ordinal))
                            {
                                hits++;
                            }
                        }

                        var reply = hits == 0 ? "HEARTBEAT_OK" : $"{{name}} found {hits} word(s) ({{marker}}).";
                        return ValueTask.FromResult(new TaskReply(reply));
                    }
                }

                """);
        }

        text.Append(CultureInfo.InvariantCulture, $$"""

            /// <summary>Starts every task of this file once.</summary>
            public static class Tasks{{file:000}}Sessions
            {
                public static int StartAll(SessionStore store)
                {
                    var started = 0;

            """);
        for (var j = 0; j < PerFile; j++)
        {
            var name = TaskName(file * PerFile + j);
            text.Append(CultureInfo.InvariantCulture, $"        started += store.StartSession<{name}>(\"agent:main:{name.ToLowerInvariant()}\").IsCompleted ? 0 : 1;\n");
        }

        text.Append(CultureInfo.InvariantCulture, $$"""
                    started += store.StartSession(SessionKind.User, "agent:main:dynamic:{{file}}").IsCompleted ? 0 : 1;
                    return started;
                }
            }

            """);
        return text.ToString();
    }

    /// <summary>One file of <c>[LoggerMessage]</c> methods, shaped like <see cref="TaskFile"/>; <paramref name="callMarker"/> changes a literal in a method body.</summary>
    public static string LogFile(int file, int callMarker = 1)
    {
        var text = new StringBuilder(4096);
        text.Append(CultureInfo.InvariantCulture, $$"""
            using System;
            using Microsoft.Extensions.Logging;

            namespace Agents.Area{{file % 20:00}};

            /// <summary>Synthetic log messages, file {{file}}.</summary>
            public static partial class Log{{file:000}}
            {

            """);
        for (var j = 0; j < PerFile; j++)
        {
            var index = file * PerFile + j;
            var level = (index % 4) switch { 0 => "Information", 1 => "Debug", 2 => "Warning", _ => "Trace" };
            text.Append(CultureInfo.InvariantCulture, $$"""
                    [LoggerMessage(EventId = {{index}}, Level = LogLevel.{{level}}, Message = "Task {TaskName} {{index}} finished in {ElapsedMs} ms with {Count} item(s)")]
                    public static partial void Task{{index:0000}}Finished(ILogger logger, string taskName, double elapsedMs, int count);

                """);
        }

        text.Append("\n    public static void LogAll(ILogger logger)\n    {\n");
        for (var j = 0; j < PerFile; j++)
        {
            var index = file * PerFile + j;
            text.Append(CultureInfo.InvariantCulture, $"        Task{index:0000}Finished(logger, \"{TaskName(index)}\", {index}.5, {j * callMarker});\n");
        }

        text.Append("    }\n}\n");
        return text.ToString();
    }

    /// <summary>A file with no attributed member; <paramref name="marker"/> changes a literal in a method body.</summary>
    public static string UnrelatedFile(string marker = "v1") => $$"""
        using System;

        namespace Agents.Support;

        /// <summary>Helpers with no session task and no log message.</summary>
        public static class TextFormatting
        {
            public static string Title(string text) =>
                text.Length == 0 ? "{{marker}}" : char.ToUpperInvariant(text[0]) + text[1..];
        }

        """;

    private static string TaskName(int index) => $"Task{index:0000}";
}
