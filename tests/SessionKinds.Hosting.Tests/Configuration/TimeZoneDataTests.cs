namespace SessionKinds.Hosting.Tests.Configuration;

/// <summary>
/// The tz database names the analyzer carries (SKND0014) are the ones the runtime resolves with <see cref="TimeZoneInfo"/>
/// at start-up: on this machine every one of them resolves, and the runtime rejects what the analyzer rejects.
/// </summary>
public sealed class TimeZoneDataTests
{
    [Fact]
    public void Every_embedded_name_is_sorted_once_and_resolves_on_this_machine()
    {
        var names = typeof(CronSchedule).Assembly.GetType("SessionKinds.TimeZoneNames")!.GetField("All")!.GetValue(null) as string[];

        Assert.NotNull(names);
        Assert.True(names!.Length > 500, $"{names.Length} names");
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        var unresolved = names.Where(name => !Resolves(name)).ToList();
        Assert.True(unresolved.Count == 0, "not resolved on this machine: " + string.Join(", ", unresolved));
    }

    [Fact]
    public void The_runtime_parses_by_the_rules_the_analyzer_applies()
    {
        Assert.Equal("Europe/Berlin", CronSchedule.Parse("0 7 * * *", "Europe/Berlin").TimeZone);
        Assert.Equal(
            "Cron schedule \"0 7 * * *\": TimeZone \"europe/berlin\" is not a time zone of the IANA tz database (ids are case-sensitive); write \"Europe/Berlin\".",
            Assert.Throws<FormatException>(() => CronSchedule.Parse("0 7 * * *", "europe/berlin")).Message);
        Assert.False(CronSchedule.Parse("0 0 31 2 *").CanFire);
        Assert.Throws<ArgumentException>(() => new HeartbeatSchedule(TimeSpan.FromMinutes(30), timeZone: "CEST"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeartbeatSchedule(TimeSpan.FromSeconds(5)));
        Assert.Equal(new ActiveHours(8 * 60, 22 * 60), ActiveHours.Parse("08:00-22:00"));
        Assert.Throws<FormatException>(() => ActiveHours.Parse("8:00-22:00"));
    }

    private static bool Resolves(string id)
    {
        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
    }
}
