using Microsoft.Extensions.Time.Testing;
using SessionKinds.Hosting.Tests.Infrastructure;

namespace SessionKinds.Hosting.Tests.Scheduling;

/// <summary>Heartbeat slots are phase-aligned per agent: a stable offset from the agent id.</summary>
public sealed class PhaseTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    [Fact]
    public void The_phase_is_a_pure_function_of_the_agent_id_and_the_interval()
    {
        var every = TimeSpan.FromMinutes(30);

        Assert.Equal(TaskPlan.PhaseOf("main", every), TaskPlan.PhaseOf("main", every));
        Assert.InRange(TaskPlan.PhaseOf("main", every), TimeSpan.Zero, every - TimeSpan.FromSeconds(1));
        Assert.Equal(0, TaskPlan.PhaseOf("main", every).Ticks % TimeSpan.TicksPerSecond);

        // Fifty agents spread over the interval instead of firing at the same second.
        var phases = Enumerable.Range(1, 50).Select(i => TaskPlan.PhaseOf("agent-" + i, every)).ToList();
        Assert.True(phases.Distinct().Count() >= 45, $"only {phases.Distinct().Count()} distinct phases");
        Assert.NotEqual(TaskPlan.PhaseOf("alpha", every), TaskPlan.PhaseOf("beta", every));
    }

    [Fact]
    public async Task Two_agents_run_at_their_own_offsets_and_a_restart_keeps_the_slots()
    {
        var time = new FakeTimeProvider(Monday);
        var alphaFolder = _folder.Sub("alpha");
        var betaFolder = _folder.Sub("beta");
        var behavior = new TaskBehavior();
        await using var beta = TestHost.Create(time, betaFolder, [typeof(ProbeHeartbeat)], o => { o.AgentId = "beta"; o.CatchUpWindow = TimeSpan.Zero; }, behavior);
        var alphaRuns = new List<DateTimeOffset>();
        var betaRuns = new List<DateTimeOffset>();
        await beta.StartAsync();

        for (var round = 0; round < 2; round++)
        {
            // Alpha's host is restarted between the rounds (a new host, same folder and agent).
            await using var alpha = TestHost.Create(time, alphaFolder, [typeof(ProbeHeartbeat)], o => { o.AgentId = "alpha"; o.CatchUpWindow = TimeSpan.Zero; }, behavior);
            await alpha.StartAsync();
            for (var i = 0; i < 3; i++)
            {
                var nextAlpha = Plans.Next<ProbeHeartbeat>(time.GetUtcNow(), 1, "alpha")[0];
                var nextBeta = Plans.Next<ProbeHeartbeat>(time.GetUtcNow(), 1, "beta")[0];
                if (nextAlpha <= nextBeta)
                {
                    alpha.MoveTo(nextAlpha);
                    alphaRuns.Add((await alpha.NextAsync(typeof(ProbeHeartbeat))).ScheduledAt);
                }
                else
                {
                    beta.MoveTo(nextBeta);
                    betaRuns.Add((await beta.NextAsync(typeof(ProbeHeartbeat))).ScheduledAt);
                }
            }
        }

        var every = TimeSpan.FromMinutes(30).Ticks;
        Assert.True(alphaRuns.Count >= 2 && betaRuns.Count >= 2);
        var alphaOffsets = alphaRuns.Select(at => (at - DateTimeOffset.UnixEpoch).Ticks % every).Distinct().ToList();
        var betaOffsets = betaRuns.Select(at => (at - DateTimeOffset.UnixEpoch).Ticks % every).Distinct().ToList();
        Assert.Equal([TaskPlan.PhaseOf("alpha", TimeSpan.FromMinutes(30)).Ticks], alphaOffsets);
        Assert.Equal([TaskPlan.PhaseOf("beta", TimeSpan.FromMinutes(30)).Ticks], betaOffsets);
        Assert.NotEqual(alphaOffsets, betaOffsets);
    }

    [Fact]
    public void A_window_that_wraps_midnight_holds_the_night_and_an_empty_one_never_opens()
    {
        var night = new ActiveHours(22 * 60, 6 * 60);
        Assert.True(night.Contains(new TimeOnly(23, 30)));
        Assert.True(night.Contains(new TimeOnly(0, 0)));
        Assert.True(night.Contains(new TimeOnly(5, 59)));
        Assert.False(night.Contains(new TimeOnly(6, 0)));
        Assert.False(night.Contains(new TimeOnly(21, 59)));
        Assert.True(night.Contains(new TimeOnly(22, 0)));

        var evening = ActiveHours.Parse("18:00-24:00");
        Assert.True(evening.Contains(new TimeOnly(23, 59)));
        Assert.False(evening.Contains(new TimeOnly(0, 0)));

        var never = ActiveHours.Parse("09:00-09:00");
        Assert.True(never.IsEmpty);
        Assert.False(new HeartbeatSchedule(TimeSpan.FromMinutes(30), never).IsEnabled);
        Assert.False(HeartbeatSchedule.Parse("0m").IsEnabled);
        Assert.Equal("every 30m, 08:00-22:00 Europe/Berlin", HeartbeatSchedule.Parse("30", "08:00-22:00", "Europe/Berlin").ToString());
        Assert.Equal(
            "Every \"30 minutes\" is not a duration; write a number and a unit (s, m, h or d), e.g. \"30m\", \"1h\", \"90s\" or \"1h30m\" (a bare number is minutes; \"0m\" disables the heartbeat); did you mean \"30m\"?.",
            Assert.Throws<FormatException>(() => HeartbeatSchedule.Parse("30 minutes")).Message);
    }

    public void Dispose() => _folder.Dispose();
}
