using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SessionKinds.Hosting.Tests.Infrastructure;

namespace SessionKinds.Hosting.Tests.Configuration;

/// <summary>AddSessionKinds follows the Microsoft.Extensions conventions: bound, validated on start, defaults with TryAdd.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Invalid_options_fail_the_start_with_messages_that_name_the_setting()
    {
        var time = new FakeTimeProvider();
        await using var host = TestHost.Create(time, _folder.Path, [typeof(HourlyJob)], o => { o.AgentId = "agent:main"; o.LeaseDuration = TimeSpan.FromSeconds(1); });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());

        Assert.Contains("SessionKinds:AgentId \"agent:main\" is not an agent id: use 1 to 64 letters, digits, '-' or '_' (e.g. \"main\"); it becomes part of session keys such as agent:main:cron:morning-brief.", error.Failures);
        Assert.Contains("SessionKinds:LeaseDuration 00:00:01 is out of range: use 5 seconds to 1 hour (default 1 minute).", error.Failures);
    }

    [Fact]
    public async Task Options_are_bound_from_the_SessionKinds_section_and_the_delegate_wins()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SessionKinds:AgentId"] = "ops",
            ["SessionKinds:NodeId"] = "from-config",
            ["SessionKinds:LeaseDuration"] = "00:02:00",
        });
        builder.Services.AddSessionKinds(o => o.NodeId = "from-code").UseFileStore(_folder.Path);
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<SessionKindsOptions>>().Value;

        Assert.Equal(("ops", "from-code", TimeSpan.FromMinutes(2)), (options.AgentId, options.NodeId, options.LeaseDuration));
    }

    [Fact]
    public void Defaults_are_registered_with_TryAdd_so_the_hosts_own_win()
    {
        var services = new ServiceCollection();
        var clock = new FakeTimeProvider();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSessionKinds();
        services.AddSessionKinds();

        using var provider = services.BuildServiceProvider();
        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
        Assert.Single(provider.GetServices<IHostedService>());
        Assert.Same(TimeProvider.System, new ServiceCollection().AddSessionKinds().Services.BuildServiceProvider().GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task A_host_with_tasks_but_no_store_says_what_to_call()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(new TaskBehavior());
        builder.Services.AddSessionKinds().AddGeneratedTasks();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Equal("SessionKinds cannot start: No session store is registered: call UseFileStore(folder) (or UseStore, UseSqlite, UsePostgres) on the builder AddSessionKinds returned.", error.Message);
    }

    [Fact]
    public async Task AddGeneratedTasks_runs_every_scheduled_task_of_the_assembly_and_ignores_the_others()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
        using var host = TestHost.CreateWithGeneratedTasks(time, _folder.Path);
        await host.StartAsync();
        var state = host.Services.GetRequiredService<SchedulerState>();

        var names = state.Plans.Select(p => p.Name.Split('.')[^1]).Order(StringComparer.Ordinal).ToList();
        await host.StopAsync();

        Assert.Equal(["BerlinNightly", "HourlyJob", "MinuteJob", "NeedsMissingService", "NightHeartbeat", "OfficeHeartbeat", "ProbeHeartbeat", "ShardA", "ShardB", "ShardC", "ShardD", "ShardE"], names);
    }

    public void Dispose() => _folder.Dispose();
}
