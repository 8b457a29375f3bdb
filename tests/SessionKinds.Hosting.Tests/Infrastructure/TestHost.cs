using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionKinds.Generated;

namespace SessionKinds.Hosting.Tests.Infrastructure;

/// <summary>
/// A Generic Host with the SessionKinds scheduler on a <see cref="FakeTimeProvider"/> and a temp agent folder. Tests move
/// the clock and wait for the occurrences the scheduler settles (events, not sleeps); the only real-time bound is a
/// generous timeout that turns a hang into a failure.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly Channel<SettledOccurrence> _settled = Channel.CreateUnbounded<SettledOccurrence>();
    private readonly List<SettledOccurrence> _unread = [];

    private TestHost(IHost host, FakeTimeProvider time, string folder)
    {
        Host = host;
        Time = time;
        Folder = folder;
        Scheduler = host.Services.GetServices<IHostedService>().OfType<SessionKindsScheduler>().Single();
        Scheduler.Settled += occurrence => _settled.Writer.TryWrite(occurrence);
        Scheduler.Sleeping += _ => _asleep.TrySetResult();
    }

    private readonly TaskCompletionSource _asleep = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IHost Host { get; }

    public FakeTimeProvider Time { get; }

    public string Folder { get; }

    public SessionKindsScheduler Scheduler { get; }

    public IServiceProvider Services => Host.Services;

    public TaskBehavior Behavior => Services.GetRequiredService<TaskBehavior>();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public SessionStore Store => Services.GetRequiredService<SessionStore>();

    /// <summary>Builds (does not start) a host running <paramref name="tasks"/> of the generated registry, on the agent folder <paramref name="folder"/> unless <paramref name="store"/> chooses the store.</summary>
    public static TestHost Create(
        FakeTimeProvider time,
        string folder,
        Type[] tasks,
        Action<SessionKindsOptions>? configure = null,
        TaskBehavior? behavior = null,
        Action<IServiceCollection>? services = null,
        Action<ISessionKindsBuilder>? store = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(behavior ?? new TaskBehavior());
        builder.Services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        var sessionKinds = builder.Services
            .AddSessionKinds(o =>
            {
                o.NodeId = "test-node";
                configure?.Invoke(o);
            })
            .AddTasks(SessionTasks.All.Where(t => tasks.Contains(t.TaskType)));
        if (store is null)
        {
            sessionKinds.UseFileStore(folder);
        }
        else
        {
            store(sessionKinds);
        }

        services?.Invoke(builder.Services);
        return new TestHost(builder.Build(), time, folder);
    }

    /// <summary>A host built with the generated <c>AddGeneratedTasks()</c> (every task of this assembly).</summary>
    public static IHost CreateWithGeneratedTasks(FakeTimeProvider time, string folder)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(new TaskBehavior());
        builder.Services.AddSessionKinds(o => o.AgentId = "main").AddGeneratedTasks().UseFileStore(folder);
        return builder.Build();
    }

    /// <summary>Starts the host and waits until the scheduler has read the clock and gone to sleep (it starts on a thread of its own).</summary>
    public async Task StartAsync()
    {
        await Host.StartAsync();
        await _asleep.Task.WaitAsync(Hang);
    }

    /// <summary>Waits for the next settled occurrence of <paramref name="task"/> (by name or type).</summary>
    public async Task<SettledOccurrence> NextAsync(Type task) => await NextAsync(o => o.Task == task.FullName);

    /// <summary>Waits for the next settled occurrence that matches; others stay for later calls, in order.</summary>
    public async Task<SettledOccurrence> NextAsync(Func<SettledOccurrence, bool> match)
    {
        var index = _unread.FindIndex(o => match(o));
        if (index >= 0)
        {
            var found = _unread[index];
            _unread.RemoveAt(index);
            return found;
        }

        using var timeout = new CancellationTokenSource(Hang);
        while (true)
        {
            var occurrence = await _settled.Reader.ReadAsync(timeout.Token);
            if (match(occurrence))
            {
                return occurrence;
            }

            _unread.Add(occurrence);
        }
    }

    /// <summary>Whether an occurrence was settled and not yet read.</summary>
    public bool TryTakeSettled(out SettledOccurrence? occurrence)
    {
        if (_unread.Count > 0)
        {
            occurrence = _unread[0];
            _unread.RemoveAt(0);
            return true;
        }

        return _settled.Reader.TryRead(out occurrence);
    }

    /// <summary>Moves the clock to <paramref name="at"/> (never back).</summary>
    public void MoveTo(DateTimeOffset at)
    {
        var now = Time.GetUtcNow();
        if (at > now)
        {
            Time.Advance(at - now);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync();
        }
        catch (ObjectDisposedException)
        {
        }

        if (Host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
    }
}
