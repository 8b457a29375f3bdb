using System.Globalization;
using SessionKinds;

namespace HeartbeatAgent;

/// <summary>
/// Plays one agent's days: a heartbeat every 30 minutes, the cron jobs on their schedules, a few user chats
/// a day and the occasional subagent. Every reply is persisted twice: by SessionKinds (routed by kind) and
/// naively (every session persisted like a chat, as gateways did before).
/// </summary>
internal sealed class AgentSimulation
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMinutes(30);

    private readonly SimulatedClock _clock;
    private readonly AgentStore _kinds;
    private readonly AgentStore _naive;
    private readonly ScriptedModel _model;
    private readonly string _agent;

    public AgentSimulation(string agent, string kindsFolder, string naiveFolder, SimulatedClock clock, int seed)
    {
        _agent = agent;
        _clock = clock;
        _model = new ScriptedModel(seed);
        var options = new AgentStoreOptions { Time = clock };
        _kinds = new AgentStore(kindsFolder, options);
        _naive = new AgentStore(naiveFolder, options);
    }

    public async Task RunAsync(DateTimeOffset start, int days, CancellationToken cancellationToken)
    {
        var end = start.AddDays(days);
        var inbox = new InboxCheck(_model);
        var brief = new MorningBrief(_model);
        var cleanup = new ThreadCleanup(_model);
        var chat = new ChatTurn(_model);
        var research = new Research(_model);

        foreach (var (at, action) in Schedule(start, end))
        {
            cancellationToken.ThrowIfCancellationRequested();
            _clock.MoveTo(at);
            var stamp = at.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture);
            switch (action)
            {
                case Action.Heartbeat:
                    await PersistAsync(inbox, $"agent:{_agent}:heartbeat:{stamp}", "Check the inbox. Reply HEARTBEAT_OK if nothing needs attention.", cancellationToken);
                    break;
                case Action.MorningBrief:
                    await PersistAsync(brief, $"cron:morning-brief:{stamp}", "Write the morning brief.", cancellationToken);
                    break;
                case Action.ThreadCleanup:
                    await PersistAsync(cleanup, $"cron:thread-cleanup:{stamp}", "Archive stale threads.", cancellationToken);
                    break;
                case Action.Chat:
                    var question = _model.NextQuestion();
                    await PersistAsync(chat, $"agent:{_agent}:main", question, cancellationToken);
                    if (_model.WantsResearch())
                    {
                        await PersistAsync(research, $"agent:{_agent}:subagent:{stamp}", question, cancellationToken);
                    }

                    break;
            }
        }
    }

    private async Task PersistAsync<TTask>(TTask task, string key, string prompt, CancellationToken cancellationToken)
        where TTask : IAgentTask, ISessionTask
    {
        var session = _kinds.StartSession<TTask>(key, prompt);
        var context = new TaskContext(session.Key, session.SessionId, session.Kind, session.StartedAt, prompt, _clock);
        var reply = await task.RunAsync(context, cancellationToken);
        _kinds.Complete(session, reply);

        // The naive baseline: the same reply, persisted like a chat whatever it says.
        _naive.Complete(_naive.StartSession(SessionKind.User, key, prompt), reply);
    }

    private IEnumerable<(DateTimeOffset At, Action Action)> Schedule(DateTimeOffset start, DateTimeOffset end)
    {
        var events = new List<(DateTimeOffset, Action)>();
        for (var at = start; at < end; at += HeartbeatInterval)
        {
            events.Add((at, Action.Heartbeat));
        }

        AddCron<MorningBrief>(events, start, end, Action.MorningBrief);
        AddCron<ThreadCleanup>(events, start, end, Action.ThreadCleanup);

        for (var day = start.Date; day < end; day = day.AddDays(1))
        {
            var chats = 2 + (int)(_model.RandomOffset(3).TotalMinutes);
            for (var i = 0; i < chats; i++)
            {
                // Between 08:00 and 22:00, never on a heartbeat's minute.
                var at = new DateTimeOffset(day, TimeSpan.Zero).AddHours(8) + _model.RandomOffset(14 * 60) + TimeSpan.FromSeconds(17);
                if (at >= start && at < end)
                {
                    events.Add((at, Action.Chat));
                }
            }
        }

        return events.OrderBy(e => e.Item1).ThenBy(e => e.Item2);
    }

    // The schedule comes from the task's [CronSession] attribute, through the generated interface.
    private static void AddCron<TTask>(List<(DateTimeOffset, Action)> events, DateTimeOffset start, DateTimeOffset end, Action action)
        where TTask : ICronSessionTask
    {
        var schedule = TTask.Schedule;
        for (var next = schedule.NextAfter(start.AddTicks(-1)); next is { } at && at < end; next = schedule.NextAfter(at))
        {
            events.Add((at.AddSeconds(5), action));
        }
    }

    private enum Action
    {
        Heartbeat,
        MorningBrief,
        ThreadCleanup,
        Chat,
    }
}
