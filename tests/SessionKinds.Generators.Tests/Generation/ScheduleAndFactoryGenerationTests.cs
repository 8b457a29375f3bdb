using Microsoft.CodeAnalysis;
using SessionKinds.Generators.Generation;
using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.Generation;

/// <summary>
/// The schedule the rules accepted is baked into each task (no parsing at run time beyond Cronos), the generated factory
/// creates tasks from a service provider without reflection, and a change of a schedule regenerates only that task.
/// </summary>
public sealed class ScheduleAndFactoryGenerationTests
{
    private static readonly Lazy<CompiledAgent> Agent = new(() => CompiledAgent.Build(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using SessionKinds;

        namespace MyApp;

        public interface IModel { string Name { get; } }

        public sealed class Model : IModel { public string Name => "model"; }

        [HeartbeatSession(Every = "1h30m", ActiveHours = "22:00-06:00", TimeZone = "Europe/Berlin", RingFile = "night-ring.json")]
        public partial class NightWatch(IModel model, int retries = 3, string? label = null) : IAgentTask
        {
            public string Describe() => model.Name + "/" + retries + "/" + (label ?? "none");

            public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply("HEARTBEAT_OK"));
        }

        [HeartbeatSession]
        public partial class Plain : IAgentTask
        {
            public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply("HEARTBEAT_OK"));
        }

        [CronSession("30 2 * * *", TimeZone = "America/New_York")]
        public partial class NightlyReport : IAgentTask
        {
            public NightlyReport() { }

            public NightlyReport(IModel model) { Model = model; }

            public IModel? Model { get; }

            public ValueTask<TaskReply> RunAsync(TaskContext context, CancellationToken cancellationToken) => new(new TaskReply("NO_REPLY"));
        }

        public sealed class Services(Dictionary<Type, object> services) : IServiceProvider
        {
            public object? GetService(Type serviceType) => services.TryGetValue(serviceType, out var service) ? service : null;
        }

        public static class Scenario
        {
            public static string Schedules()
            {
                var night = Find("MyApp.NightWatch").Info.Heartbeat!.Schedule;
                var plain = Find("MyApp.Plain").Info.Heartbeat!.Schedule;
                var cron = Find("MyApp.NightlyReport").Info.Cron!;
                return night.Every + "|" + night.ActiveHours + "|" + night.TimeZone + "|" + (plain == HeartbeatSchedule.Default) + "|" + cron.Text + "|" + cron.TimeZone;
            }

            public static string Create(bool withModel, bool withRetries)
            {
                var services = new Dictionary<Type, object>();
                if (withModel) { services[typeof(IModel)] = new Model(); }
                if (withRetries) { services[typeof(int)] = 7; }
                try
                {
                    var night = (NightWatch)Find("MyApp.NightWatch").CreateTask(new Services(services));
                    var report = (NightlyReport)Find("MyApp.NightlyReport").CreateTask(new Services(services));
                    return night.Describe() + "|" + (report.Model?.Name ?? "none");
                }
                catch (InvalidOperationException ex)
                {
                    return "error: " + ex.Message;
                }
            }

            private static SessionTaskRegistration Find(string name)
            {
                foreach (var registration in SessionKinds.Generated.SessionTasks.All)
                {
                    if (registration.Info.Name == name) { return registration; }
                }

                throw new InvalidOperationException(name);
            }
        }
        """));

    [Fact]
    public async Task The_schedule_the_rules_accepted_is_baked_into_the_task()
    {
        var text = await Agent.Value.CallAsync("MyApp.Scenario", "Schedules");

        Assert.Equal("01:30:00|22:00-06:00|Europe/Berlin|True|30 2 * * *|America/New_York", text);
        var source = Agent.Value.Output.Source("MyApp.NightWatch.g.cs");
        Assert.Contains(
            "{ Schedule = new global::SessionKinds.HeartbeatSchedule(new global::System.TimeSpan(54000000000L /* 1h30m */), new global::SessionKinds.ActiveHours(1320, 360) /* 22:00-06:00 */, \"Europe/Berlin\") }",
            source,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Schedule =", Agent.Value.Output.Source("MyApp.Plain.g.cs"), StringComparison.Ordinal);
        Assert.Contains("Cron = global::SessionKinds.CronSchedule.Parse(\"30 2 * * *\", \"America/New_York\"),", Agent.Value.Output.Source("MyApp.NightlyReport.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_factory_resolves_services_and_uses_defaults_for_missing_optional_ones()
    {
        Assert.Equal("model/3/none|model", await Agent.Value.CallAsync("MyApp.Scenario", "Create", true, false));
        Assert.Equal("model/7/none|model", await Agent.Value.CallAsync("MyApp.Scenario", "Create", true, true));
    }

    [Fact]
    public async Task A_missing_service_names_the_task_the_parameter_and_its_type()
    {
        var text = await Agent.Value.CallAsync("MyApp.Scenario", "Create", false, false);

        Assert.Equal(
            "error: Cannot create task MyApp.NightWatch: no service of type MyApp.IModel is registered for its constructor parameter 'model'. Register one (e.g. services.AddSingleton<MyApp.IModel>(...)) or give the parameter a default value.",
            text);
    }

    [Fact]
    public void Keyed_parameters_are_resolved_through_the_keyed_provider()
    {
        var output = GeneratorHarness.Run("""
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using SessionKinds;

            namespace MyApp
            {
                public enum Region { Eu = 1 }

                [CronSession("0 7 * * *")]
                public partial class Brief([FromKeyedServices("primary")] Uri feed, [FromKeyedServices(Region.Eu)] Version version) : IAgentTask
                {
                    public override string ToString() => feed + " " + version;

                    public System.Threading.Tasks.ValueTask<TaskReply> RunAsync(TaskContext context, System.Threading.CancellationToken cancellationToken) => default;
                }
            }

            namespace Microsoft.Extensions.DependencyInjection
            {
                [AttributeUsage(AttributeTargets.Parameter)]
                public sealed class FromKeyedServicesAttribute(object? key) : Attribute { public object? Key { get; } = key; }

                public interface IKeyedServiceProvider : IServiceProvider
                {
                    object? GetKeyedService(Type serviceType, object? serviceKey);
                }
            }
            """);

        var source = output.Source("MyApp.Brief.g.cs");
        Assert.Contains(".GetKeyedService(typeof(global::System.Uri), \"primary\") is { } p0 ? (global::System.Uri)p0 :", source, StringComparison.Ordinal);
        Assert.Contains(".GetKeyedService(typeof(global::System.Version), (global::MyApp.Region)(1)) is { } p1", source, StringComparison.Ordinal);
        GeneratorHarness.AssertClean(output.Compilation);
    }

    [Fact]
    public void A_task_without_a_usable_constructor_gets_a_factory_that_says_why()
    {
        var output = GeneratorHarness.Run("""
            using SessionKinds;

            namespace MyApp;

            [UserSession]
            public partial class Chat : IAgentTask
            {
                private Chat() { }

                public System.Threading.Tasks.ValueTask<TaskReply> RunAsync(TaskContext context, System.Threading.CancellationToken cancellationToken) => default;
            }
            """);

        Assert.Contains(
            "throw new global::System.InvalidOperationException(\"Cannot create task MyApp.Chat from services: it has no public constructor; give it one for the host to call.\");",
            output.Source("MyApp.Chat.g.cs"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_one_tasks_interval_modifies_only_that_tasks_output_and_leaves_the_registry_cached()
    {
        string[] sources =
        [
            Task("InboxCheck", "Every = \"30m\", RingFile = \"inbox-ring.json\""),
            Task("CalendarCheck", "Every = \"1h\", RingFile = \"calendar-ring.json\""),
            "namespace MyApp; [SessionKinds.CronSession(\"0 7 * * *\", TimeZone = \"Europe/Berlin\")] public partial class MorningBrief : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
        ];

        var run = IncrementalRun.Of(
            GeneratorHarness.CreateCompilation(sources),
            IncrementalRun.Replace("Source1.cs", Task("CalendarCheck", "Every = \"2h\", RingFile = \"calendar-ring.json\"")));

        var files = run.Files();
        Assert.Equal(IncrementalStepRunReason.Modified, files["MyApp.CalendarCheck.g.cs"]);
        Assert.Equal(IncrementalStepRunReason.Cached, files["MyApp.InboxCheck.g.cs"]);
        Assert.Equal(IncrementalStepRunReason.Cached, files["MyApp.MorningBrief.g.cs"]);
        Assert.Equal(IncrementalStepRunReason.Cached, files[SessionTaskEmitter.RegistryHintName]);
        Assert.Equal([IncrementalStepRunReason.Cached], run.Reasons(TrackingNames.Registry));
        Assert.Contains("/* 2h */", run.Texts().Second["MyApp.CalendarCheck.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_a_constructor_modifies_only_that_tasks_output()
    {
        string[] sources =
        [
            Task("InboxCheck", "RingFile = \"inbox-ring.json\""),
            Task("CalendarCheck", "RingFile = \"calendar-ring.json\""),
        ];

        var run = IncrementalRun.Of(
            GeneratorHarness.CreateCompilation(sources),
            IncrementalRun.Replace("Source1.cs", Task("CalendarCheck", "RingFile = \"calendar-ring.json\"").Replace("{ ", "{ public CalendarCheck(System.Uri feed) { } ", StringComparison.Ordinal)));

        var files = run.Files();
        Assert.Equal(IncrementalStepRunReason.Modified, files["MyApp.CalendarCheck.g.cs"]);
        Assert.Equal(IncrementalStepRunReason.Cached, files["MyApp.InboxCheck.g.cs"]);
        Assert.Equal(IncrementalStepRunReason.Cached, files[SessionTaskEmitter.RegistryHintName]);
    }

    [Fact]
    public void With_the_hosting_assembly_referenced_AddGeneratedTasks_hands_the_registry_to_the_builder()
    {
        var hosting = HostingStub();
        var compilation = GeneratorHarness.CreateCompilation([.. TestReferences.Net100WithRuntime, hosting], Task("InboxCheck", ""), """
            namespace MyApp;

            public static class Startup
            {
                public static SessionKinds.Hosting.ISessionKindsBuilder Configure(SessionKinds.Hosting.ISessionKindsBuilder builder) =>
                    Microsoft.Extensions.DependencyInjection.SessionKindsGeneratedTasksExtensions.AddGeneratedTasks(builder);
            }
            """);

        var output = GeneratorHarness.Run(compilation);

        Assert.Contains(
            "global::Microsoft.Extensions.DependencyInjection.SessionKindsBuilderExtensions.AddTasks(builder, global::SessionKinds.Generated.SessionTasks.All);",
            output.Source(SessionTaskEmitter.HostingHintName),
            StringComparison.Ordinal);
        GeneratorHarness.AssertClean(output.Compilation);
    }

    [Fact]
    public void Without_the_hosting_assembly_no_extension_is_generated()
    {
        var output = GeneratorHarness.Run(Task("InboxCheck", ""));

        Assert.DoesNotContain(SessionTaskEmitter.HostingHintName, output.Sources.Keys);
    }

    private static string Task(string name, string arguments) =>
        "namespace MyApp; [SessionKinds.HeartbeatSession(" + arguments + ")] public partial class " + name + " : SessionKinds.IAgentTask { " + TaskSources.Body + " }";

    /// <summary>An assembly named SessionKinds.Hosting with the builder surface the generated extension calls.</summary>
    private static MetadataReference HostingStub()
    {
        var stub = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            SessionTaskEmitter.HostingAssemblyName,
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("""
                namespace SessionKinds.Hosting
                {
                    public interface ISessionKindsBuilder { }
                }

                namespace Microsoft.Extensions.DependencyInjection
                {
                    public static class SessionKindsBuilderExtensions
                    {
                        public static SessionKinds.Hosting.ISessionKindsBuilder AddTasks(this SessionKinds.Hosting.ISessionKindsBuilder builder, System.Collections.Generic.IEnumerable<SessionKinds.SessionTaskRegistration> tasks) => builder;
                    }
                }
                """)],
            TestReferences.Net100WithRuntime,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var emit = stub.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}
