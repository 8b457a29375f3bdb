using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SessionKinds;
using SessionKinds.Hosting;

namespace HeartbeatAgent;

/// <summary>
/// One agent as a hosted service: a Generic Host with <c>AddSessionKinds().AddGeneratedTasks().UseFileStore(folder)</c>
/// runs the heartbeat and the cron jobs on their schedules through the real scheduler, on a simulated clock the simulation
/// fast-forwards from one due occurrence to the next; a few user chats a day and the occasional subagent are started by
/// the simulation itself. Every reply is persisted twice: by SessionKinds (routed by kind) and naively
/// (<see cref="NaiveMirror"/>).
/// </summary>
internal sealed class AgentSimulation : IAsyncDisposable
{
    private readonly SimulatedClock _clock;
    private readonly ScriptedModel _model;
    private readonly string _agent;
    private readonly string _kindsFolder;
    private readonly FileSessionStore _naive;
    private readonly Channel<ScheduledRunResult> _settled = Channel.CreateUnbounded<ScheduledRunResult>();
    private IHost? _host;

    public AgentSimulation(string agent, string kindsFolder, string naiveFolder, SimulatedClock clock, int seed)
    {
        _agent = agent;
        _clock = clock;
        _kindsFolder = kindsFolder;
        _model = new ScriptedModel(seed);
        _naive = new FileSessionStore(naiveFolder, new FileSessionStoreOptions { Time = clock });
    }

    /// <summary>Plays the days [<paramref name="start"/>, <paramref name="start"/> + <paramref name="days"/>); call again to go on.</summary>
    public async Task RunAsync(DateTimeOffset start, int days, CancellationToken cancellationToken)
    {
        var end = start.AddDays(days);
        if (_host is null)
        {
            _clock.MoveTo(start);
            _host = BuildHost();
            await _host.StartAsync(cancellationToken);
        }

        var status = _host.Services.GetRequiredService<SessionKindsStatus>();
        var store = _host.Services.GetRequiredService<SessionStore>();
        var chats = new Queue<DateTimeOffset>(ChatTimes(start, end));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scheduled = await NextScheduledAsync(status, cancellationToken);
            var due = scheduled.Min();
            var chat = chats.Count > 0 ? chats.Peek() : DateTimeOffset.MaxValue;
            if (chat < due && chat < end)
            {
                _clock.MoveTo(chats.Dequeue());
                await ChatAsync(store, cancellationToken);
                continue;
            }

            if (due >= end)
            {
                _clock.MoveTo(end);
                return;
            }

            // Wake the scheduler at the occurrence and wait until it has settled every task due then.
            _clock.MoveTo(due);
            for (var i = scheduled.Count(at => at == due); i > 0; i--)
            {
                // A real-time bound only turns a scheduler that stopped (its error is in the host's log) into an error here.
                await _settled.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        await _naive.DisposeAsync();
    }

    private IHost BuildHost()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddSingleton(_model);
        builder.Services.AddSingleton(new NaiveMirror(_naive));
        builder.Services.AddSingleton<IScheduledRunObserver>(new Settlements(_settled.Writer));
        builder.Services
            .AddSessionKinds(o =>
            {
                o.AgentId = _agent;
                o.NodeId = "simulation";
                o.CatchUpWindow = TimeSpan.Zero; // a new agent: nothing was missed
            })
            .AddGeneratedTasks()
            .UseFileStore(_kindsFolder);
        return builder.Build();
    }

    /// <summary>The next occurrence of each scheduled task, once the scheduler has computed them (it starts on a thread of its own).</summary>
    private static async Task<List<DateTimeOffset>> NextScheduledAsync(SessionKindsStatus status, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var next = status.Tasks.Select(t => t.NextOccurrence).ToList();
            if (next.Count > 0 && next.All(n => n is not null))
            {
                return next.Select(n => n!.Value).ToList();
            }

            if (attempt > 1000)
            {
                throw new InvalidOperationException("The scheduler did not start.");
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>A chat turn and, now and then, the research it hands off: started by the simulation, as a gateway would on a message.</summary>
    private async Task ChatAsync(SessionStore store, CancellationToken cancellationToken)
    {
        var stamp = _clock.GetUtcNow().ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture);
        var question = _model.NextQuestion();
        await PersistAsync(store, new ChatTurn(_model), $"agent:{_agent}:main", question, cancellationToken);
        if (_model.WantsResearch())
        {
            await PersistAsync(store, new Research(_model), $"agent:{_agent}:subagent:{stamp}", question, cancellationToken);
        }
    }

    private async Task PersistAsync<TTask>(SessionStore store, TTask task, string key, string prompt, CancellationToken cancellationToken)
        where TTask : IAgentTask, ISessionTask
    {
        var session = store.StartSession<TTask>(key, prompt);
        var reply = await task.RunAsync(new TaskContext(session.Key, session.SessionId, session.Kind, session.StartedAt, prompt, _clock), cancellationToken);
        await store.CompleteAsync(session, reply, cancellationToken);
        await _naive.CompleteAsync(_naive.StartSession(SessionKind.User, key, prompt), reply, cancellationToken);
    }

    /// <summary>A few chats a day between 08:00 and 22:00 UTC, never on a scheduled minute.</summary>
    private List<DateTimeOffset> ChatTimes(DateTimeOffset start, DateTimeOffset end)
    {
        var times = new List<DateTimeOffset>();
        for (var day = start.Date; day < end; day = day.AddDays(1))
        {
            var chats = 2 + (int)_model.RandomOffset(3).TotalMinutes;
            for (var i = 0; i < chats; i++)
            {
                var at = new DateTimeOffset(day, TimeSpan.Zero).AddHours(8) + _model.RandomOffset(14 * 60) + TimeSpan.FromSeconds(17);
                if (at >= start && at < end)
                {
                    times.Add(at);
                }
            }
        }

        times.Sort();
        return times;
    }

    /// <summary>Hears the host settle each occurrence (in a real agent: deliver alerts and cron output to the user's channel).</summary>
    private sealed class Settlements(ChannelWriter<ScheduledRunResult> writer) : IScheduledRunObserver
    {
        public ValueTask OnRunSettledAsync(ScheduledRunResult result, CancellationToken cancellationToken) =>
            writer.WriteAsync(result, cancellationToken);
    }
}
