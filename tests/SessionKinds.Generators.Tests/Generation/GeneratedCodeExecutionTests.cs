using System.Text.Json;
using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.Generation;

/// <summary>
/// The generated code, compiled with warnings as errors and run against real temp folders through the
/// runtime's <c>FileSessionStore</c>: the routing table holds for each kind, with each task's own
/// settings. Assertions read the files on disk (DESIGN §5), not the store's own readers.
/// </summary>
public sealed class GeneratedCodeExecutionTests : IDisposable
{
    private const string Ack = "HEARTBEAT_OK";
    private const string Alert = "The disk of the mail server is 97% full and the nightly backup failed twice; please look today.";

    private static readonly Lazy<CompiledAgent> Agent = new(() => CompiledAgent.Build(
        """
        using System.Linq;
        using System.Threading.Tasks;
        using SessionKinds;

        namespace MyApp;

        // AckMaxChars = 20: a short note beside the token is still an ack; the alert above is not.
        [HeartbeatSession(RingSize = 3, AckMaxChars = 20, RingFile = "inbox-ring.json")]
        public partial class InboxCheck : IAgentTask
        {
        """ + TaskSources.Body + """
        }

        [HeartbeatSession(RingSize = 5, AckMaxChars = 0, RingFile = "calendar-ring.json")]
        public partial class CalendarCheck : IAgentTask
        {
        """ + TaskSources.Body + """
        }

        [CronSession("0 7 * * *")]
        public partial class MorningBrief : IAgentTask
        {
        """ + TaskSources.Body + """
        }

        [UserSession]
        public partial class ChatTurn : IAgentTask
        {
        """ + TaskSources.Body + """
        }

        [SubagentSession]
        public partial class Research : IAgentTask
        {
        """ + TaskSources.Body + """
        }

        public static class Scenario
        {
            public static async Task<string> RunAsync(string folder, string task, string key, string reply)
            {
                await using var store = new FileSessionStore(folder);
                var outcome = task switch
                {
                    nameof(InboxCheck) => await store.RunAsync(new InboxCheck(), key, reply),
                    nameof(CalendarCheck) => await store.RunAsync(new CalendarCheck(), key, reply),
                    nameof(MorningBrief) => await store.RunAsync(new MorningBrief(), key, reply),
                    nameof(ChatTurn) => await store.RunAsync(new ChatTurn(), key, reply),
                    nameof(Research) => await store.RunAsync(new Research(), key, reply),
                    _ => throw new System.ArgumentException(task),
                };
                return outcome.Verdict.ToString();
            }

            public static async Task<int> AppendThroughTheTypedRing(string folder, int times)
            {
                await using var store = new FileSessionStore(folder);
                var ring = InboxCheck.OpenHeartbeatRing(store);
                for (var i = 0; i < times; i++)
                {
                    if (i % 2 == 0) { await ring.AppendOkAsync(); } else { await ring.AppendAlertAsync("alert " + i); }
                }

                return ring.RingSize;
            }

            public static string Describe<TTask>() where TTask : ISessionTask =>
                TTask.SessionInfo.Name + "|" + TTask.SessionInfo.Kind + "|" + TTask.Route("HEARTBEAT_OK").Verdict;

            public static string[] Descriptions() =>
            [
                Describe<InboxCheck>(), Describe<CalendarCheck>(), Describe<MorningBrief>(), Describe<ChatTurn>(), Describe<Research>(),
            ];

            public static string HeartbeatSettingsOf<TTask>() where TTask : IHeartbeatSessionTask =>
                TTask.Heartbeat.RingSize + "|" + TTask.Heartbeat.AckMaxChars + "|" + TTask.Heartbeat.RingFile + "|" + (TTask.SessionInfo.Heartbeat == TTask.Heartbeat);

            public static string[] Settings() => [HeartbeatSettingsOf<InboxCheck>(), HeartbeatSettingsOf<CalendarCheck>()];

            public static string Schedule() => ScheduleOf<MorningBrief>();

            private static string ScheduleOf<TTask>() where TTask : ICronSessionTask =>
                TTask.Schedule.Text + "|" + ReferenceEquals(TTask.Schedule, TTask.Schedule) + "|" + TTask.SessionInfo.CronSchedule;

            public static string[] Registry() =>
                SessionKinds.Generated.SessionTasks.All.Select(r => r.Info.Name + "|" + r.Info.Kind + "|" + r.TaskType.Name).ToArray();

            public static async Task<string[]> StartEveryTaskFromTheRegistry(string folder)
            {
                await using var store = new FileSessionStore(folder);
                var results = new System.Collections.Generic.List<string>();
                foreach (var registration in SessionKinds.Generated.SessionTasks.All)
                {
                    var session = registration.StartSession(store, "registry:" + registration.TaskType.Name, "status?");
                    var outcome = await store.CompleteAsync(session, new TaskReply("A long and useful answer that is neither an ack nor silent, with plenty of detail for the user."));
                    results.Add(outcome.Key + "|" + outcome.Kind + "|" + outcome.Verdict);
                }

                return results.ToArray();
            }
        }
        """));

    private readonly string _folder = Directory.CreateTempSubdirectory("sessionkinds-generated-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_heartbeat_ack_writes_nothing_to_sessions_or_transcripts()
    {
        Assert.Equal("Ack", await Run("InboxCheck", "agent:main:heartbeat", Ack));
        Assert.Equal("Ack", await Run("InboxCheck", "agent:main:heartbeat", "**HEARTBEAT_OK** all quiet."));

        Assert.Empty(SessionEntries());
        Assert.Empty(Transcripts());
        Assert.True(File.Exists(Path.Combine(_folder, "heartbeat-state.json")));
        Assert.Equal(["ok", "ok"], RingResults("inbox-ring.json"));
    }

    [Fact]
    public async Task A_heartbeat_alert_is_persisted_as_a_session()
    {
        Assert.Equal("Alert", await Run("InboxCheck", "agent:main:heartbeat", Alert));

        var entry = Assert.Single(SessionEntries());
        Assert.Equal("agent:main:heartbeat", entry.Key);
        Assert.Equal("heartbeat", entry.Value.GetProperty("kind").GetString());
        var transcript = Assert.Single(Transcripts());
        Assert.Equal(entry.Value.GetProperty("sessionId").GetString() + ".jsonl", Path.GetFileName(transcript));
        Assert.Contains("97% full", File.ReadAllText(transcript), StringComparison.Ordinal);
        Assert.Equal(["alert"], RingResults("inbox-ring.json"));
    }

    [Fact]
    public async Task Each_heartbeat_task_routes_with_its_own_ack_limit()
    {
        // 12 characters beside the token: within InboxCheck's AckMaxChars = 20, beyond CalendarCheck's 0.
        const string Note = "HEARTBEAT_OK all is quiet";

        Assert.Equal("Ack", await Run("InboxCheck", "agent:main:inbox", Note));
        Assert.Equal("Alert", await Run("CalendarCheck", "agent:main:calendar", Note));

        Assert.Equal(["agent:main:calendar"], SessionEntries().Select(entry => entry.Key));
        Assert.Equal(["ok"], RingResults("inbox-ring.json"));
        Assert.Equal(["alert"], RingResults("calendar-ring.json"));
    }

    [Fact]
    public async Task The_ring_never_exceeds_the_tasks_ring_size()
    {
        for (var i = 0; i < 8; i++)
        {
            await Run("InboxCheck", "agent:main:heartbeat", i % 3 == 0 ? Alert : Ack);
            Assert.True(RingResults("inbox-ring.json").Count <= 3);
        }

        Assert.Equal(3, RingMaxEntries("inbox-ring.json"));
        Assert.Equal(["ok", "alert", "ok"], RingResults("inbox-ring.json"));

        // The typed accessor is bound to the same file and size: ten more appends still leave three entries.
        Assert.Equal(3, await Agent.Value.CallAsync("MyApp.Scenario", "AppendThroughTheTypedRing", _folder, 10));
        Assert.Equal(["alert", "ok", "alert"], RingResults("inbox-ring.json"));
        Assert.Equal(3, RingMaxEntries("inbox-ring.json"));
    }

    [Fact]
    public async Task A_silent_cron_run_writes_only_its_run_record_and_a_run_with_output_is_persisted()
    {
        Assert.Equal("Silent", await Run("MorningBrief", "cron:morning", "NO_REPLY"));
        Assert.Equal("Silent", await Run("MorningBrief", "cron:morning", "   "));
        Assert.Equal("Silent", await Run("MorningBrief", "cron:morning", Ack));

        Assert.Equal([Path.Combine(_folder, "cron-runs.json")], Directory.GetFiles(_folder, "*.json*"));
        using (var runs = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_folder, "cron-runs.json"))))
        {
            Assert.Equal(
                ["MyApp.MorningBrief silent", "MyApp.MorningBrief silent", "MyApp.MorningBrief silent"],
                runs.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("task").GetString() + " " + r.GetProperty("verdict").GetString()));
        }

        Assert.Equal("Output", await Run("MorningBrief", "cron:morning", "Good morning: three meetings today, the first at 9:00."));

        var entry = Assert.Single(SessionEntries());
        Assert.Equal("cron", entry.Value.GetProperty("kind").GetString());
        Assert.Single(Transcripts());
    }

    [Theory]
    [InlineData("ChatTurn", "user")]
    [InlineData("Research", "subagent")]
    public async Task User_and_subagent_sessions_always_persist(string task, string kind)
    {
        Assert.Equal("Conversation", await Run(task, "agent:main:" + kind, Ack));
        Assert.Equal("Conversation", await Run(task, "agent:main:" + kind + ":2", ""));

        var entries = SessionEntries();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, entry => Assert.Equal(kind, entry.Value.GetProperty("kind").GetString()));
        Assert.Equal(2, Transcripts().Count);
    }

    [Fact]
    public async Task Every_task_carries_its_kind_and_settings_as_static_members()
    {
        var agent = Agent.Value;

        Assert.Equal(
            [
                "MyApp.InboxCheck|Heartbeat|Ack",
                "MyApp.CalendarCheck|Heartbeat|Ack",
                "MyApp.MorningBrief|Cron|Silent",
                "MyApp.ChatTurn|User|Conversation",
                "MyApp.Research|Subagent|Conversation",
            ],
            (string[])(await agent.CallAsync("MyApp.Scenario", "Descriptions"))!);
        Assert.Equal(["3|20|inbox-ring.json|True", "5|0|calendar-ring.json|True"], (string[])(await agent.CallAsync("MyApp.Scenario", "Settings"))!);
        Assert.Equal("0 7 * * *|True|0 7 * * *", await agent.CallAsync("MyApp.Scenario", "Schedule"));
        Assert.True(typeof(IHeartbeatSessionTask).IsAssignableFrom(agent.Type("MyApp.InboxCheck")));
        Assert.True(typeof(ICronSessionTask).IsAssignableFrom(agent.Type("MyApp.MorningBrief")));
        Assert.False(typeof(IHeartbeatSessionTask).IsAssignableFrom(agent.Type("MyApp.ChatTurn")));
    }

    [Fact]
    public async Task The_registry_lists_every_task_and_starts_sessions_without_reflection()
    {
        var agent = Agent.Value;

        Assert.Equal(
            [
                "MyApp.CalendarCheck|Heartbeat|CalendarCheck",
                "MyApp.ChatTurn|User|ChatTurn",
                "MyApp.InboxCheck|Heartbeat|InboxCheck",
                "MyApp.MorningBrief|Cron|MorningBrief",
                "MyApp.Research|Subagent|Research",
            ],
            (string[])(await agent.CallAsync("MyApp.Scenario", "Registry"))!);
        Assert.Equal(
            [
                "registry:CalendarCheck|Heartbeat|Alert",
                "registry:ChatTurn|User|Conversation",
                "registry:InboxCheck|Heartbeat|Alert",
                "registry:MorningBrief|Cron|Output",
                "registry:Research|Subagent|Conversation",
            ],
            (string[])(await agent.CallAsync("MyApp.Scenario", "StartEveryTaskFromTheRegistry", _folder))!);
        Assert.Equal(5, SessionEntries().Count);
    }

    private async Task<string> Run(string task, string key, string reply) =>
        (string)(await Agent.Value.CallAsync("MyApp.Scenario", "RunAsync", _folder, task, key, reply))!;

    private List<KeyValuePair<string, JsonElement>> SessionEntries()
    {
        var path = Path.Combine(_folder, "sessions.json");
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateObject().Select(property => KeyValuePair.Create(property.Name, property.Value.Clone()))];
    }

    private List<string> Transcripts() => [.. Directory.GetFiles(_folder, "*.jsonl")];

    private List<string> RingResults(string ringFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, ringFile)));
        return [.. document.RootElement.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("result").GetString()!)];
    }

    private int RingMaxEntries(string ringFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, ringFile)));
        return document.RootElement.GetProperty("maxEntries").GetInt32();
    }
}
