using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SessionKinds.Hosting;

/// <summary>
/// Runs every heartbeat and cron task of the catalog on its schedule, through the store's occurrence claims, so that the
/// hosts sharing a store run each occurrence once.
/// </summary>
/// <remarks>
/// <para><b>One loop.</b> The loop computes each task's next occurrence (<see cref="TaskPlan"/>), sleeps on the host's
/// <see cref="TimeProvider"/> until the earliest one, and settles what is due; runs go on in the background while it
/// sleeps again. When several occurrences of a task passed while the loop could not run (a suspended machine), only the
/// latest is settled.</para>
/// <para><b>Claims.</b> An occurrence is claimed in the store first. <c>Claimed</c>: run it. <c>Done</c>: another host ran
/// or skipped it. <c>Held</c> by another host, or the task <c>TaskBusy</c> with another host's run: check again when that
/// claim's lease runs out — then the occurrence is done, or free to take over (its attempt counts up). While a run lasts,
/// its host renews the claim every third of the lease, so a long run is never taken over while its host lives; a run
/// whose claim was lost (its host paused past the lease, or its renewals failed, and another host took over) is cancelled,
/// writes nothing, and its host checks the occurrence again when the new claim's lease runs out, like any held one: if the
/// host that took over dies too, the occurrence still runs.</para>
/// <para><b>One run of a task at a time.</b> An occurrence due while the task's previous run still goes on is skipped by
/// the host that runs it: marked done, and a cron task's run record says <c>skipped</c> with the reason.</para>
/// <para><b>Catch-up.</b> At start-up the latest occurrence missed while the host was down (within
/// <see cref="SessionKindsOptions.CatchUpWindow"/>) runs once — not once per missed slot — unless another host already ran it.</para>
/// <para><b>Failures.</b> A task that throws is logged and its occurrence marked done (a cron run record says
/// <c>failed</c>); a store that cannot be reached is logged and tried again; nothing stops the loop.</para>
/// <para><b>Stop.</b> Stopping cancels the runs in progress (they write nothing, so their occurrences run again once the
/// leases run out) and waits for them within the host's shutdown timeout.</para>
/// </remarks>
internal sealed class SessionKindsScheduler : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly IOptions<SessionKindsOptions> _optionsAccessor;
    private SessionKindsOptions _options = new();
    private readonly TaskCatalog _catalog;
    private readonly SessionKindsMetrics _metrics;
    private readonly SchedulerState _state;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly List<Task> _runs = [];
    private readonly Dictionary<TaskPlan, RunningOccurrence> _running = [];

    /// <summary>Occurrences whose claim a run of this host lost, handed to the loop to check again (see <see cref="WatchAgain"/>).</summary>
    private readonly ConcurrentQueue<Recheck> _lostClaims = new();

    /// <summary>Completed to wake the loop from its sleep when a lost claim is handed over; replaced on each use.</summary>
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<TaskPlan> _plans = [];
    private SessionStore? _store;

    public SessionKindsScheduler(
        IServiceProvider services,
        TimeProvider time,
        IOptions<SessionKindsOptions> options,
        IOptions<TaskCatalog> catalog,
        SessionKindsMetrics metrics,
        SchedulerState state,
        ILogger<SessionKindsScheduler>? logger = null)
    {
        _services = services;
        _scopes = services.GetRequiredService<IServiceScopeFactory>();
        _time = time;
        _optionsAccessor = options;
        _catalog = catalog.Value;
        _metrics = metrics;
        _state = state;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Raised after each occurrence this host settled (ran, skipped, failed or cancelled); tests and diagnostics listen.</summary>
    public event Action<SettledOccurrence>? Settled;

    /// <summary>Raised after this host renewed its claim on an occurrence it runs (task, occurrence, new lease end).</summary>
    public event Action<string, DateTimeOffset, DateTimeOffset>? Renewed;

    /// <summary>Raised when the loop goes to sleep, with the instant it will wake (null: nothing scheduled).</summary>
    public event Action<DateTimeOffset?>? Sleeping;

    /// <summary>Checks the tasks (time zones resolve on this machine, a store is registered and opens) so a bad setup fails the host's start.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _options = _optionsAccessor.Value;
        if (!_options.RunScheduledTasks)
        {
            return;
        }

        var problems = new List<string>();
        _plans = CreatePlans(problems);

        // A store that opens asynchronously was opened as the host started (StoreOpeningService); a host that skipped
        // that step (one that calls StartAsync only) opens it here.
        if (_services.GetService<StoreOpener>() is { } opener)
        {
            await opener.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        _store = _services.GetService<SessionStore>();
        if (_store is null && _plans.Count > 0)
        {
            problems.Add("No session store is registered: call UseFileStore(folder) (or UseStore, UseSqlite, UsePostgres) on the builder AddSessionKinds returned.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("SessionKinds cannot start: " + string.Join(" ", problems));
        }

        _state.Start(_time.GetUtcNow(), _plans);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        SchedulerLog.Started(_logger, _options.AgentId, _options.NodeId, _plans.Count);
        var next = new Dictionary<TaskPlan, DateTimeOffset?>();
        var rechecks = new List<Recheck>();
        foreach (var plan in _plans)
        {
            if (!plan.IsEnabled)
            {
                SchedulerLog.NeverRuns(_logger, plan.Name, plan.Heartbeat is { } h ? (h.Every == TimeSpan.Zero ? "its heartbeat is disabled (Every = \"0m\")" : "its active hours never open") : "its schedule matches no date");
                continue;
            }

            next[plan] = plan.NextAfter(now);
            _state.SetNext(plan, next[plan]);
            SchedulerLog.Planned(_logger, plan.Name, Describe(plan), next[plan]);
            if (plan.LatestMissed(now, _options.CatchUpWindow) is { } missed)
            {
                rechecks.Add(new Recheck(plan, missed, now));
                SchedulerLog.CatchingUp(_logger, plan.Name, missed);
            }
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Read the wake signal before taking the lost claims: one handed over after this read completes it.
                var woken = Volatile.Read(ref _wake).Task;
                while (_lostClaims.TryDequeue(out var lost))
                {
                    AddRecheck(rechecks, lost.Plan, lost.At, lost.When);
                }

                now = _time.GetUtcNow();

                // Rechecks first (catch-up, occurrences held by other hosts), oldest occurrence first.
                var dueRechecks = rechecks.Where(r => r.When <= now).OrderBy(r => r.At).ToList();
                rechecks.RemoveAll(r => r.When <= now);
                foreach (var (plan, at, _) in dueRechecks)
                {
                    if (await SettleAsync(plan, at, stoppingToken).ConfigureAwait(false) is { } retry)
                    {
                        AddRecheck(rechecks, plan, at, retry);
                    }
                }

                foreach (var plan in next.Keys.ToList())
                {
                    if (next[plan] is not { } due || due > now)
                    {
                        continue;
                    }

                    // Only the latest due occurrence is settled when several passed while the loop could not run.
                    var latest = due;
                    var missed = 0;
                    for (var following = plan.NextAfter(due); following is { } f && f <= now; following = plan.NextAfter(f))
                    {
                        latest = f;
                        missed++;
                    }

                    if (missed > 0)
                    {
                        SchedulerLog.Coalesced(_logger, plan.Name, missed, latest);
                    }

                    next[plan] = plan.NextAfter(latest);
                    _state.SetNext(plan, next[plan]);
                    if (await SettleAsync(plan, latest, stoppingToken).ConfigureAwait(false) is { } retry)
                    {
                        AddRecheck(rechecks, plan, latest, retry);
                    }
                }

                DateTimeOffset? wake = null;
                foreach (var value in next.Values)
                {
                    wake = Earliest(wake, value);
                }

                foreach (var recheck in rechecks)
                {
                    wake = Earliest(wake, recheck.When);
                }

                now = _time.GetUtcNow();
                var delay = wake is { } w ? w - now : Timeout.InfiniteTimeSpan;
                if (delay != Timeout.InfiniteTimeSpan && delay <= TimeSpan.Zero)
                {
                    continue;
                }

                // A timer counts from the clock's time when it is created: if the clock moved since it was read (a
                // simulated clock stepped by another thread), the timer would fire late, so read again and start over.
                using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var sleeping = Task.Delay(delay, _time, sleep.Token);
                if (_time.GetUtcNow() != now)
                {
                    await sleep.CancelAsync().ConfigureAwait(false);
                    await sleeping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    continue;
                }

                Sleeping?.Invoke(wake);
                if (await Task.WhenAny(sleeping, woken).ConfigureAwait(false) == woken)
                {
                    await sleep.CancelAsync().ConfigureAwait(false);
                    await sleeping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    continue;
                }

                await sleeping.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the runs in progress see the same token.
        }

        Task[] runs;
        lock (_gate)
        {
            runs = [.. _runs];
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    private static void AddRecheck(List<Recheck> rechecks, TaskPlan plan, DateTimeOffset at, DateTimeOffset when)
    {
        rechecks.RemoveAll(r => r.Plan == plan && r.At == at);
        rechecks.Add(new Recheck(plan, at, when));
    }

    /// <summary>Hands an occurrence whose claim a run lost to the loop, which checks it again at <paramref name="when"/>.</summary>
    private void WatchAgain(TaskPlan plan, DateTimeOffset at, DateTimeOffset when)
    {
        _lostClaims.Enqueue(new Recheck(plan, at, when));
        Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>When to look again at an occurrence <paramref name="holder"/> holds: just after its lease runs out.</summary>
    private DateTimeOffset RecheckTime(OccurrenceClaim holder)
    {
        var when = holder.LeaseUntil + TimeSpan.FromMilliseconds(1);
        var now = _time.GetUtcNow();
        return when > now ? when : now + (_options.LeaseDuration / 3);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>
    /// Claims an occurrence and runs, skips or leaves it; returns when to look at it again when another host holds it or the
    /// store failed, otherwise <see langword="null"/>.
    /// </summary>
    private async ValueTask<DateTimeOffset?> SettleAsync(TaskPlan plan, DateTimeOffset at, CancellationToken stoppingToken)
    {
        var store = _store!;
        OccurrenceClaimResult result;
        try
        {
            result = await store.TryClaimOccurrenceAsync(plan.Name, at, _options.NodeId, _options.LeaseDuration, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            var retry = _time.GetUtcNow() + (_options.LeaseDuration / 3);
            SchedulerLog.StoreFailed(_logger, ex, plan.Name, at, retry);
            return retry;
        }

        RunningOccurrence? running;
        lock (_gate)
        {
            _running.TryGetValue(plan, out running);
        }

        var mine = result.Claim is { } claim && claim.Claimant == _options.NodeId;
        switch (result.Status)
        {
            case OccurrenceClaimStatus.Done:
                return null;

            case OccurrenceClaimStatus.Claimed when running is not null && running.ScheduledAt != at:
            case OccurrenceClaimStatus.TaskBusy when mine && running is not null:
                // This host still runs an earlier occurrence of the task: one run at a time, so this one is skipped, by this
                // host only (the others see the task busy with this host's claim).
                await SkipAsync(plan, at, $"the run of the occurrence of {running!.ScheduledAt:u} was still going", stoppingToken).ConfigureAwait(false);
                return null;

            case OccurrenceClaimStatus.Claimed when running is null:
                if (result.Claim!.Attempt > 1)
                {
                    SchedulerLog.TakingOver(_logger, plan.Name, at, result.Claim.Attempt);
                    _metrics.TakenOver(plan);
                }

                Start(plan, result.Claim!, stoppingToken);
                return null;

            case OccurrenceClaimStatus.Claimed:
                return null; // a renewal of the occurrence this host runs

            default:
                // Held by another host, or the task busy with another host's run (or with a claim this node left before a
                // restart): look again when that lease runs out.
                var holder = result.Claim!;
                SchedulerLog.Held(_logger, plan.Name, at, holder.Claimant, holder.LeaseUntil);
                return RecheckTime(holder);
        }
    }

    private async ValueTask SkipAsync(TaskPlan plan, DateTimeOffset at, string reason, CancellationToken stoppingToken)
    {
        try
        {
            await plan.Registration.SkipOccurrenceAsync(_store!, at, "skipped: " + reason, stoppingToken).ConfigureAwait(false);
            SchedulerLog.Skipped(_logger, plan.Name, at, reason);
            _metrics.Run(plan, "skipped");
            await NotifyAsync(plan, new SettledOccurrence(plan.Name, at, "skipped", 0, reason), null, stoppingToken).ConfigureAwait(false);
        }
        catch (OccurrenceAlreadyDoneException)
        {
            // Completed elsewhere meanwhile: nothing to skip.
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            SchedulerLog.StoreFailed(_logger, ex, plan.Name, at, _time.GetUtcNow());
        }
    }

    private void Start(TaskPlan plan, OccurrenceClaim claim, CancellationToken stoppingToken)
    {
        var running = new RunningOccurrence(claim.ScheduledAt);
        _state.SetRunning(plan, true);
        lock (_gate)
        {
            _running[plan] = running;
            var run = Task.Run(() => RunAsync(plan, claim, stoppingToken), CancellationToken.None);
            _runs.Add(run);
            _ = run.ContinueWith(
                finished =>
                {
                    lock (_gate)
                    {
                        _runs.Remove(finished);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task RunAsync(TaskPlan plan, OccurrenceClaim claim, CancellationToken stoppingToken)
    {
        var at = claim.ScheduledAt;
        var key = plan.SessionKey(at);
        var prompt = plan.Kind == SessionKind.Heartbeat ? _options.HeartbeatPrompt : null;
        var started = _time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        _metrics.Lag(plan, started - at);
        SchedulerLog.Running(_logger, plan.Name, at, claim.Attempt, key);

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var lost = (OccurrenceClaimResult?)null;
        DateTimeOffset? watchAgainAt = null;
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewal = RenewAsync(plan, at, run, taken => lost = taken, renewing.Token);
        string verdict;
        string? detail = null;
        SessionOutcome? outcome = null;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            IAgentTask? task = null;
            try
            {
                try
                {
                    task = plan.Registration.CreateTask(scope.ServiceProvider);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The task cannot be created (a missing service): the occurrence is settled as failed, or every host
                    // would fail it in turn.
                    detail = ex.Message;
                    SchedulerLog.Failed(_logger, ex, plan.Name, at);
                }

                if (task is null)
                {
                    await plan.Registration.SkipOccurrenceAsync(_store!, at, "failed: " + detail, run.Token).ConfigureAwait(false);
                    verdict = "failed";
                }
                else
                {
                    outcome = await plan.Registration.RunOccurrenceAsync(_store!, task, claim, key, prompt, run.Token).ConfigureAwait(false);
                    verdict = VerdictName(outcome.Verdict);
                    SchedulerLog.Ran(_logger, plan.Name, at, verdict, stopwatch.ElapsedMilliseconds);
                    if ((outcome.Written & PersistTargets.Transcript) != 0)
                    {
                        _metrics.Persisted(plan, await PersistedBytesAsync(outcome, started).ConfigureAwait(false));
                    }
                }
            }
            finally
            {
                switch (task)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
        }
        catch (Exception ex) when (AlreadyDone(ex) is { } done)
        {
            // This host lost its claim (a pause longer than the lease) and another host completed the occurrence first:
            // the store refused the second completion, so nothing of this run was written.
            verdict = "superseded";
            detail = done.Message;
            SchedulerLog.Superseded(_logger, plan.Name, at, done.CompletedBy ?? "another host");
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            verdict = "cancelled";
            if (lost is { } taken)
            {
                SchedulerLog.LeaseLost(_logger, plan.Name, at, taken.Status);
                watchAgainAt = taken.Claim is { } holder ? RecheckTime(holder) : _time.GetUtcNow() + (_options.LeaseDuration / 3);
            }
            else
            {
                SchedulerLog.Cancelled(_logger, plan.Name, at);
            }
        }
        catch (Exception ex)
        {
            // The store marked the occurrence done with the failure (a cron run record says failed), unless the store itself failed.
            verdict = "failed";
            detail = ex.Message;
            SchedulerLog.Failed(_logger, ex, plan.Name, at);
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            lock (_gate)
            {
                _running.Remove(plan);
            }

            _state.SetRunning(plan, false);
        }

        // After the run is off the books: a check that found it still running would take the claim for a renewal.
        if (watchAgainAt is { } when)
        {
            WatchAgain(plan, at, when);
        }

        _metrics.Duration(plan, stopwatch.Elapsed);
        _metrics.Run(plan, verdict);
        await NotifyAsync(plan, new SettledOccurrence(plan.Name, at, verdict, claim.Attempt, detail), outcome, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Renews the claim every third of the lease while the run lasts; cancels the run when the claim is lost.</summary>
    private async Task RenewAsync(TaskPlan plan, DateTimeOffset at, CancellationTokenSource run, Action<OccurrenceClaimResult> onLost, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.LeaseDuration / 3, _time, cancellationToken).ConfigureAwait(false);
                OccurrenceClaimResult result;
                try
                {
                    result = await _store!.TryClaimOccurrenceAsync(plan.Name, at, _options.NodeId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    SchedulerLog.StoreFailed(_logger, ex, plan.Name, at, _time.GetUtcNow() + (_options.LeaseDuration / 3));
                    continue;
                }

                if (result.Status == OccurrenceClaimStatus.Done)
                {
                    return; // the run has just been committed
                }

                if (result.Status != OccurrenceClaimStatus.Claimed)
                {
                    onLost(result);
                    await run.CancelAsync().ConfigureAwait(false);
                    return;
                }

                Renewed?.Invoke(plan.Name, at, result.Claim!.LeaseUntil);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended or the host stops.
        }
    }

    /// <summary>
    /// The UTF-8 bytes of the messages the run added to its transcript (content and data), read back from the store: engines
    /// do not report the bytes they write, and only runs whose route kept a transcript are measured.
    /// </summary>
    private async ValueTask<long> PersistedBytesAsync(SessionOutcome outcome, DateTimeOffset started)
    {
        try
        {
            var transcript = await _store!.ReadTranscriptAsync(outcome.SessionId).ConfigureAwait(false);
            long bytes = 0;
            foreach (var message in transcript?.Messages ?? [])
            {
                if (message.Timestamp >= started.AddMilliseconds(-started.Millisecond))
                {
                    bytes += Encoding.UTF8.GetByteCount(message.Content) + (message.Data is null ? 0 : Encoding.UTF8.GetByteCount(message.Data));
                }
            }

            return bytes;
        }
        catch (Exception ex) when (ex is SessionStoreException or IOException)
        {
            return 0; // a metric is not worth failing a run for
        }
    }

    private List<TaskPlan> CreatePlans(List<string> problems)
    {
        var scheduled = _catalog.Tasks.Where(t => t.Info.Kind is SessionKind.Heartbeat or SessionKind.Cron).ToList();
        var plans = new List<TaskPlan>();
        foreach (var registration in scheduled)
        {
            var slug = TaskPlan.SlugOf(registration.Info.Name, qualified: false);
            var namesake = scheduled.Any(other => other != registration && TaskPlan.SlugOf(other.Info.Name, qualified: false) == slug);
            try
            {
                if (TaskPlan.Create(registration, _options.AgentId, namesake ? TaskPlan.SlugOf(registration.Info.Name, qualified: true) : slug) is { } plan)
                {
                    plans.Add(plan);
                }
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or FormatException or InvalidOperationException)
            {
                problems.Add($"Task {registration.Info.Name}: {ex.Message}");
            }
        }

        return plans;
    }

    /// <summary>Tells the test hook and every <see cref="IScheduledRunObserver"/>; an observer that throws is logged.</summary>
    private async ValueTask NotifyAsync(TaskPlan plan, SettledOccurrence settled, SessionOutcome? outcome, CancellationToken stoppingToken)
    {
        var observers = _services.GetServices<IScheduledRunObserver>();
        var result = new ScheduledRunResult(plan.Name, plan.Kind, settled.ScheduledAt, Enum.Parse<ScheduledRunVerdict>(settled.Verdict, ignoreCase: true), settled.Attempt, outcome, settled.Detail);
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnRunSettledAsync(result, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                SchedulerLog.ObserverFailed(_logger, ex, plan.Name, settled.ScheduledAt, observer.GetType().Name);
            }
        }

        Settled?.Invoke(settled);
    }

    private static OccurrenceAlreadyDoneException? AlreadyDone(Exception ex) => ex switch
    {
        OccurrenceAlreadyDoneException done => done,
        AggregateException aggregate => aggregate.InnerExceptions.OfType<OccurrenceAlreadyDoneException>().FirstOrDefault(),
        _ => null,
    };

    private static string Describe(TaskPlan plan) => plan.Heartbeat is { } heartbeat ? heartbeat.ToString() : "cron " + plan.Cron;

    private static string VerdictName(ReplyVerdict verdict) => verdict switch
    {
        ReplyVerdict.Ack => "ack",
        ReplyVerdict.Alert => "alert",
        ReplyVerdict.Output => "output",
        ReplyVerdict.Silent => "silent",
        _ => "conversation",
    };

    private sealed record RunningOccurrence(DateTimeOffset ScheduledAt);

    /// <summary>An occurrence to settle again at <see cref="When"/> (a catch-up, one held by another host, a lost claim).</summary>
    private sealed record Recheck(TaskPlan Plan, DateTimeOffset At, DateTimeOffset When);
}

/// <summary>An occurrence this host settled.</summary>
/// <param name="Task">The task's name.</param>
/// <param name="ScheduledAt">When it was due.</param>
/// <param name="Verdict"><c>ack</c>, <c>alert</c>, <c>output</c>, <c>silent</c>, <c>failed</c>, <c>skipped</c> or <c>cancelled</c>.</param>
/// <param name="Attempt">The claim's attempt (0 for a skip).</param>
/// <param name="Detail">The error or the reason, when there is one.</param>
internal sealed record SettledOccurrence(string Task, DateTimeOffset ScheduledAt, string Verdict, int Attempt, string? Detail);
