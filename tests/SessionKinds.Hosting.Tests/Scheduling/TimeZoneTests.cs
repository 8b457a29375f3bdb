using Microsoft.Extensions.Time.Testing;
using SessionKinds.Hosting.Tests.Infrastructure;

namespace SessionKinds.Hosting.Tests.Scheduling;

/// <summary>Active hours and cron schedules in the task's zone, across the daylight saving changes of Europe/Berlin (2026-03-29, 2026-10-25).</summary>
public sealed class TimeZoneTests : IDisposable
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly TempFolder _folder = new();

    /// <summary>The oracle: every slot (epoch + phase + k × 30 min) in the range whose Berlin wall-clock time is in the window.</summary>
    private static List<DateTimeOffset> ExpectedSlots(DateTimeOffset from, DateTimeOffset to, int startMinute, int endMinute)
    {
        var phase = TaskPlan.PhaseOf(SessionKindsOptions.DefaultAgentId, TimeSpan.FromMinutes(30));
        var slots = new List<DateTimeOffset>();
        var k = (from - DateTimeOffset.UnixEpoch - phase).Ticks / TimeSpan.FromMinutes(30).Ticks;
        for (var at = DateTimeOffset.UnixEpoch + phase + TimeSpan.FromTicks(k * TimeSpan.FromMinutes(30).Ticks); at < to; at += TimeSpan.FromMinutes(30))
        {
            var local = TimeZoneInfo.ConvertTime(at, Berlin).TimeOfDay;
            var minute = (int)local.TotalMinutes;
            if (at > from && minute >= startMinute && minute < endMinute)
            {
                slots.Add(at);
            }
        }

        return slots;
    }

    [Theory]
    [InlineData("2026-03-28", "spring: clocks go from 02:00 to 03:00 on the 29th")]
    [InlineData("2026-10-24", "autumn: clocks go from 03:00 back to 02:00 on the 25th")]
    public async Task Active_hours_keep_their_local_hours_across_a_daylight_saving_change(string firstDay, string change)
    {
        _ = change;
        var from = DateTimeOffset.Parse(firstDay + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var to = from.AddDays(3);
        var expected = ExpectedSlots(from, to, 8 * 60, 22 * 60);
        var time = new FakeTimeProvider(from);
        await using var host = TestHost.Create(time, _folder.Path, [typeof(OfficeHeartbeat)], o => o.CatchUpWindow = TimeSpan.Zero);
        await host.StartAsync();

        var ran = new List<DateTimeOffset>();
        foreach (var slot in expected)
        {
            host.MoveTo(slot);
            ran.Add((await host.NextAsync(typeof(OfficeHeartbeat))).ScheduledAt);
        }

        host.MoveTo(to);
        Assert.Equal(expected, ran);
        Assert.False(host.TryTakeSettled(out _));
        Assert.All(ran, at => Assert.InRange(TimeZoneInfo.ConvertTime(at, Berlin).TimeOfDay, TimeSpan.FromHours(8), TimeSpan.FromHours(22) - TimeSpan.FromTicks(1)));
        var perDay = ran.GroupBy(at => TimeZoneInfo.ConvertTime(at, Berlin).Date).Select(g => g.Count()).ToList();
        Assert.Equal([28, 28, 28], perDay);

        // The first run of each local day is at the same local time, so in UTC it moves by the hour the clocks moved.
        var firstRuns = ran.GroupBy(at => TimeZoneInfo.ConvertTime(at, Berlin).Date).Select(g => g.Min()).ToList();
        Assert.Equal(TimeZoneInfo.ConvertTime(firstRuns[0], Berlin).TimeOfDay, TimeZoneInfo.ConvertTime(firstRuns[2], Berlin).TimeOfDay);
        Assert.Equal(TimeSpan.FromHours(48) + (firstDay.StartsWith("2026-03", StringComparison.Ordinal) ? -TimeSpan.FromHours(1) : TimeSpan.FromHours(1)), firstRuns[2] - firstRuns[0]);
    }

    [Fact]
    public async Task A_window_inside_the_skipped_hour_has_no_slot_on_the_day_of_the_change()
    {
        var from = new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(3);
        var expected = ExpectedSlots(from, to, 2 * 60, 3 * 60);
        var time = new FakeTimeProvider(from);
        await using var host = TestHost.Create(time, _folder.Path, [typeof(NightHeartbeat)], o => o.CatchUpWindow = TimeSpan.Zero);
        await host.StartAsync();

        var ran = new List<DateTimeOffset>();
        foreach (var slot in expected)
        {
            host.MoveTo(slot);
            ran.Add((await host.NextAsync(typeof(NightHeartbeat))).ScheduledAt);
        }

        host.MoveTo(to);
        Assert.False(host.TryTakeSettled(out _));
        var days = ran.Select(at => TimeZoneInfo.ConvertTime(at, Berlin).Date.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(["03-28", "03-28", "03-30", "03-30"], days);
    }

    [Fact]
    public async Task A_cron_time_in_the_skipped_hour_runs_once_after_the_change_and_one_in_the_repeated_hour_runs_once()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero));
        await using var host = TestHost.Create(time, _folder.Path, [typeof(BerlinNightly)], o => o.CatchUpWindow = TimeSpan.Zero);
        await host.StartAsync();

        var spring = new List<DateTimeOffset>();
        for (var i = 0; i < 3; i++)
        {
            host.MoveTo(Plans.Next<BerlinNightly>(time.GetUtcNow(), 1)[0]);
            spring.Add((await host.NextAsync(typeof(BerlinNightly))).ScheduledAt);
        }

        host.MoveTo(new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero));
        // Seven months pass at once: only the latest occurrence runs, once.
        Assert.Equal("2026-10-24T00:30:00Z", Utc((await host.NextAsync(typeof(BerlinNightly))).ScheduledAt));
        var autumn = new List<DateTimeOffset>();
        for (var i = 0; i < 3; i++)
        {
            host.MoveTo(Plans.Next<BerlinNightly>(time.GetUtcNow(), 1)[0]);
            autumn.Add((await host.NextAsync(typeof(BerlinNightly))).ScheduledAt);
        }

        // 02:30 CET on the 28th; on the 29th 02:30 does not exist and the job runs when the clocks reach 03:00 CEST; then 02:30 CEST.
        Assert.Equal(["2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"], spring.Select(Utc));
        // 02:30 CEST on the 24th; on the 25th 02:30 comes twice and the job runs at the first; then 02:30 CET.
        Assert.Equal(["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z"], autumn.Select(Utc));
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _folder.Dispose();
}
