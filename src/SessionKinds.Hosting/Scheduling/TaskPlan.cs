using System.Globalization;
using System.Text;

namespace SessionKinds.Hosting;

/// <summary>
/// When one scheduled task's occurrences are due, and how the host names its sessions. Pure functions of the schedule,
/// the agent and the instant asked about: the same on every node and after every restart.
/// </summary>
/// <remarks>
/// <para><b>Heartbeats.</b> Slots are <c>Unix epoch + phase + k × Every</c> in UTC. The phase is a stable offset from
/// the agent id (FNV-1a of its UTF-8 bytes, modulo <c>Every</c>, whole seconds), so many agents do not fire at the same
/// second and a restart keeps the slots. A slot is an occurrence when its local time in the task's zone is inside the
/// active hours (start inclusive, end exclusive, wrapping midnight); across a daylight saving change the slots stay evenly
/// spaced in UTC and the window keeps its local hours.</para>
/// <para><b>Cron.</b> Occurrences are Cronos's, read in the task's zone: a time in the skipped hour fires once when the
/// clocks have moved on, a time in the repeated hour fires once.</para>
/// </remarks>
internal sealed class TaskPlan
{
    private const int MaxWindowJumps = 1000;
    private readonly HeartbeatSchedule? _heartbeat;
    private readonly CronSchedule? _cron;
    private readonly long _phaseTicks;

    private TaskPlan(SessionTaskRegistration registration, HeartbeatSchedule? heartbeat, CronSchedule? cron, string agentId, string slug)
    {
        Registration = registration;
        _heartbeat = heartbeat;
        _cron = cron;
        Slug = slug;
        AgentId = agentId;
        if (heartbeat is { IsEnabled: true })
        {
            Phase = PhaseOf(agentId, heartbeat.Every);
            _phaseTicks = Phase.Ticks;
        }
    }

    public SessionTaskRegistration Registration { get; }

    public string Name => Registration.Info.Name;

    public SessionKind Kind => Registration.Info.Kind;

    public string AgentId { get; }

    /// <summary>The task's name in session keys: its simple name in kebab case (<c>InboxCheck</c> → <c>inbox-check</c>).</summary>
    public string Slug { get; }

    /// <summary>The heartbeat slots' offset from the epoch grid (zero for cron tasks).</summary>
    public TimeSpan Phase { get; }

    /// <summary>The heartbeat interval, or <see langword="null"/> for a cron task.</summary>
    public TimeSpan? Every => _heartbeat?.Every;

    public HeartbeatSchedule? Heartbeat => _heartbeat;

    public CronSchedule? Cron => _cron;

    /// <summary>Whether the task has occurrences at all (a disabled or never-open heartbeat, a cron that never fires: no).</summary>
    public bool IsEnabled => _heartbeat?.IsEnabled ?? _cron?.CanFire ?? false;

    /// <summary>
    /// The plan of a heartbeat or cron task, or <see langword="null"/> for other kinds. Resolves the time zone, so a machine
    /// without its data fails here, at start-up, with an error that says what to install.
    /// </summary>
    /// <exception cref="TimeZoneNotFoundException">The machine has no data for the task's zone.</exception>
    public static TaskPlan? Create(SessionTaskRegistration registration, string agentId, string slug)
    {
        switch (registration.Info.Kind)
        {
            case SessionKind.Heartbeat:
                var heartbeat = registration.Info.Heartbeat?.Schedule ?? HeartbeatSchedule.Default;
                heartbeat.ResolveTimeZone();
                return new TaskPlan(registration, heartbeat, null, agentId, slug);
            case SessionKind.Cron:
                var cron = registration.Info.Cron ?? CronSchedule.Parse(registration.Info.CronSchedule ?? throw new InvalidOperationException($"Cron task {registration.Info.Name} has no schedule."));
                cron.ResolveTimeZone();
                return new TaskPlan(registration, null, cron, agentId, slug);
            default:
                return null;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or <see langword="null"/> when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        if (!IsEnabled)
        {
            return null;
        }

        if (_cron is not null)
        {
            return _cron.NextAfter(after);
        }

        var slot = SlotAfter(after.UtcTicks);
        for (var jumps = 0; jumps < MaxWindowJumps; jumps++)
        {
            if (_heartbeat!.IsActiveAt(slot))
            {
                return slot;
            }

            // Outside the window: jump to the first slot at or after the window's next opening.
            var opening = NextOpening(slot);
            slot = SlotAfter(opening.UtcTicks - 1);
        }

        return null;
    }

    /// <summary>
    /// The occurrence to catch up at start-up: the latest one due at or before <paramref name="now"/> and no earlier than
    /// <paramref name="window"/> before it. A heartbeat catches up only its current slot (the one interval before now),
    /// and only inside its active hours; a cron task its latest occurrence in the window.
    /// </summary>
    public DateTimeOffset? LatestMissed(DateTimeOffset now, TimeSpan window)
    {
        if (!IsEnabled || window <= TimeSpan.Zero)
        {
            return null;
        }

        if (_heartbeat is not null)
        {
            var slot = SlotAfter(now.UtcTicks) - _heartbeat.Every;
            return slot >= now - window && _heartbeat.IsActiveAt(slot) && _heartbeat.IsActiveAt(now) ? slot : null;
        }

        DateTimeOffset? latest = null;
        for (var next = _cron!.NextAfter(now - window - TimeSpan.FromTicks(1)); next is { } at && at <= now; next = _cron.NextAfter(at))
        {
            latest = at;
        }

        return latest;
    }

    /// <summary>The session key of a run: <c>agent:&lt;id&gt;:&lt;task&gt;:heartbeat</c> or <c>agent:&lt;id&gt;:cron:&lt;task&gt;:run:&lt;UTC stamp&gt;</c>.</summary>
    public string SessionKey(DateTimeOffset scheduledAt) => Kind == SessionKind.Heartbeat
        ? "agent:" + AgentId + ":" + Slug + ":heartbeat"
        : "agent:" + AgentId + ":cron:" + Slug + ":run:" + scheduledAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The phase of an agent's heartbeat slots: FNV-1a (64 bit) of the agent id's UTF-8 bytes, modulo the interval, in whole seconds.</summary>
    public static TimeSpan PhaseOf(string agentId, TimeSpan every)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(agentId))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        var seconds = (long)Math.Max(1, every.Ticks / TimeSpan.TicksPerSecond);
        return TimeSpan.FromSeconds((long)(hash % (ulong)seconds));
    }

    /// <summary>The task slug: the simple name in kebab case; <paramref name="qualified"/> uses the full name (for two tasks with one simple name).</summary>
    public static string SlugOf(string taskName, bool qualified)
    {
        var name = qualified ? taskName : taskName[(taskName.LastIndexOfAny(['.', '+']) + 1)..];
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (builder.Length > 0 && builder[^1] != '-' && i > 0 && (char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1]) || (i + 1 < name.Length && char.IsAsciiLetterLower(name[i + 1]))))
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "task" : slug;
    }

    /// <summary>The first heartbeat slot strictly after the instant (UTC ticks).</summary>
    private DateTimeOffset SlotAfter(long utcTicks)
    {
        var every = _heartbeat!.Every.Ticks;
        var offset = utcTicks - DateTimeOffset.UnixEpoch.UtcTicks - _phaseTicks;
        var k = (long)Math.Floor((double)offset / every);
        var slot = DateTimeOffset.UnixEpoch.UtcTicks + _phaseTicks + (k * every);
        while (slot <= utcTicks)
        {
            slot += every;
        }

        while (slot - every > utcTicks)
        {
            slot -= every;
        }

        return new DateTimeOffset(slot, TimeSpan.Zero);
    }

    /// <summary>
    /// The earliest instant after <paramref name="after"/> at which the window opens: its start time on the local date of
    /// <paramref name="after"/> or one of the next two, in the zone. A start in the skipped hour opens when the clocks have
    /// moved on; a start in the repeated hour opens at both passes.
    /// </summary>
    private DateTimeOffset NextOpening(DateTimeOffset after)
    {
        var zone = _heartbeat!.ResolveTimeZone();
        var window = _heartbeat.ActiveHours!.Value;
        var localDate = TimeZoneInfo.ConvertTime(after, zone).Date;
        DateTimeOffset? best = null;
        for (var day = 0; day < 3; day++)
        {
            var local = localDate.AddDays(day).AddMinutes(window.StartMinute);
            foreach (var candidate in Instants(local, zone))
            {
                if (candidate > after && (best is null || candidate < best))
                {
                    best = candidate;
                }
            }
        }

        return best ?? after.AddDays(1);
    }

    private static IEnumerable<DateTimeOffset> Instants(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var guard = 0;
        while (zone.IsInvalidTime(local) && guard++ < 24 * 60)
        {
            local = local.AddMinutes(1);
        }

        if (zone.IsAmbiguousTime(local))
        {
            foreach (var offset in zone.GetAmbiguousTimeOffsets(local))
            {
                yield return new DateTimeOffset(local, offset);
            }
        }
        else
        {
            yield return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
    }
}
