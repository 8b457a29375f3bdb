using Microsoft.CodeAnalysis;
using SessionKinds.Generators.Generation;
using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.Generation;

/// <summary>
/// The pipeline does no more work than an edit calls for: each test runs one driver twice and asserts what
/// every tracked step (<see cref="TrackingNames"/>) and every generated file did on the second run.
/// </summary>
public sealed class IncrementalCachingTests
{
    private const string Registry = "SessionKinds.Generated.SessionTasks.g.cs";

    // One task of every kind (one of them nested, so a spec holds a non-empty array), each in its own file, plus an unrelated file.
    private static readonly string[] Sources =
    [
        Heartbeat("InboxCheck", "RingSize = 20"),
        Heartbeat("CalendarCheck", "RingSize = 30, RingFile = \"calendar-ring.json\""),
        "namespace MyApp; [SessionKinds.CronSession(\"0 7 * * *\")] public partial class MorningBrief : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
        "namespace MyApp; public static partial class Chat { [SessionKinds.UserSession] public partial class Turn : SessionKinds.IAgentTask { " + TaskSources.Body + " } }",
        "namespace MyApp; [SessionKinds.SubagentSession] public partial class Research : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
        "namespace MyApp; public static class Unrelated { public static int Answer() => 42; }",
    ];

    private static readonly string[] TaskFiles =
        ["MyApp.InboxCheck.g.cs", "MyApp.CalendarCheck.g.cs", "MyApp.MorningBrief.g.cs", "MyApp.Chat+Turn.g.cs", "MyApp.Research.g.cs"];

    [Fact]
    public void Every_step_of_the_pipeline_has_a_tracking_name()
    {
        var run = IncrementalRun.Of(GeneratorHarness.CreateCompilation(Sources), static compilation => compilation.Clone());

        // Few names, shared by every kind's pipeline (the loop over the kinds table builds them all).
        Assert.Equal([TrackingNames.Tasks, TrackingNames.CompletedTasks, TrackingNames.RegistryEntries, TrackingNames.Registry, TrackingNames.Hosting], IncrementalRun.AllTrackingNames);
        Assert.All(IncrementalRun.AllTrackingNames, name => Assert.True(run.Second.TrackedSteps.ContainsKey(name), $"step '{name}' did not run"));
    }

    [Fact]
    public void A_rerun_on_the_same_input_is_entirely_cached()
    {
        var run = IncrementalRun.Of(GeneratorHarness.CreateCompilation(Sources), static compilation => compilation.Clone());

        AssertNothingChanged(run);
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        var run = IncrementalRun.Of(
            GeneratorHarness.CreateCompilation(Sources),
            IncrementalRun.Replace("Source5.cs", "namespace MyApp; public static class Unrelated { public static int Answer() => 43; public static int Other => 1; }"));

        AssertNothingChanged(run);
    }

    [Fact]
    public void A_new_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var run = IncrementalRun.Of(
            GeneratorHarness.CreateCompilation(Sources),
            IncrementalRun.Add("Source9.cs", "namespace Other; public sealed class Helper { public string Name { get; } = \"x\"; }"));

        AssertNothingChanged(run);
    }

    [Fact]
    public void An_edit_inside_a_method_body_of_a_task_does_not_change_the_output()
    {
        var edited = Heartbeat("InboxCheck", "RingSize = 20").Replace(TaskSources.Body,
            "public global::System.Threading.Tasks.ValueTask<global::SessionKinds.TaskReply> RunAsync(global::SessionKinds.TaskContext context, global::System.Threading.CancellationToken cancellationToken) { var text = \"changed\" + context.SessionKey; return new(new global::SessionKinds.TaskReply(text)); }",
            StringComparison.Ordinal);
        Assert.NotEqual(Sources[0], edited);

        var run = IncrementalRun.Of(GeneratorHarness.CreateCompilation(Sources), IncrementalRun.Replace("Source0.cs", edited));

        // The edited file is parsed again, so its task's transform runs again, but yields an equal spec.
        Assert.Contains(IncrementalStepRunReason.Unchanged, run.Reasons(TrackingNames.Tasks));
        AssertNothingChanged(run);
    }

    [Fact]
    public void Changing_one_tasks_ring_size_modifies_only_that_tasks_output()
    {
        var run = IncrementalRun.Of(
            GeneratorHarness.CreateCompilation(Sources),
            IncrementalRun.Replace("Source1.cs", Heartbeat("CalendarCheck", "RingSize = 31, RingFile = \"calendar-ring.json\"")));

        // Every transform runs again on a new compilation; only the edited task's spec differs.
        Assert.Equal([IncrementalStepRunReason.Modified], Changed(run, TrackingNames.Tasks));
        Assert.Equal([IncrementalStepRunReason.Modified], Changed(run, TrackingNames.CompletedTasks));

        // The registry sees only the task's entry, which a setting does not change: it is untouched.
        Assert.Empty(Changed(run, TrackingNames.RegistryEntries));
        Assert.Contains(IncrementalStepRunReason.Unchanged, run.Reasons(TrackingNames.RegistryEntries));
        Assert.Equal([IncrementalStepRunReason.Cached], run.Reasons(TrackingNames.Registry));

        var files = run.Files();
        Assert.Equal(IncrementalStepRunReason.Modified, files["MyApp.CalendarCheck.g.cs"]);
        Assert.All(files.Where(static file => file.Key != "MyApp.CalendarCheck.g.cs"), file => Assert.Equal(IncrementalStepRunReason.Cached, file.Value));

        var (before, after) = run.Texts();
        Assert.Contains("RingSize: 31", after["MyApp.CalendarCheck.g.cs"], StringComparison.Ordinal);
        Assert.All(before.Keys.Where(static hint => hint != "MyApp.CalendarCheck.g.cs"), hint => Assert.Equal(before[hint], after[hint]));
    }

    [Fact]
    public void Adding_a_task_is_new_for_it_and_leaves_the_other_tasks_alone()
    {
        var run = IncrementalRun.Of(
            GeneratorHarness.CreateCompilation(Sources),
            IncrementalRun.Add("Source6.cs", Heartbeat("MailCheck", "RingFile = \"mail-ring.json\"")));

        var files = run.Files();
        Assert.Equal(IncrementalStepRunReason.New, files["MyApp.MailCheck.g.cs"]);
        Assert.All(TaskFiles, hint => Assert.Equal(IncrementalStepRunReason.Cached, files[hint]));

        // The registry lists the new task, so it (and only it besides the new file) is regenerated.
        Assert.Equal(IncrementalStepRunReason.Modified, files[Registry]);
        Assert.Contains("For<global::MyApp.MailCheck>()", run.Texts().Second[Registry], StringComparison.Ordinal);
        foreach (var name in new[] { TrackingNames.Tasks, TrackingNames.CompletedTasks, TrackingNames.RegistryEntries })
        {
            Assert.Equal([IncrementalStepRunReason.New], Changed(run, name));
        }

        Assert.Equal([IncrementalStepRunReason.Modified], run.Reasons(TrackingNames.Registry));
    }

    [Fact]
    public void Removing_a_task_removes_its_file_and_its_registry_entry_only()
    {
        var run = IncrementalRun.Of(
            GeneratorHarness.CreateCompilation(Sources),
            IncrementalRun.Replace("Source4.cs", "namespace MyApp; public partial class Research { }"));

        var files = run.Files();
        Assert.Equal(IncrementalStepRunReason.Removed, files["MyApp.Research.g.cs"]);
        Assert.False(run.Texts().Second.ContainsKey("MyApp.Research.g.cs"));
        Assert.Equal(IncrementalStepRunReason.Modified, files[Registry]);
        Assert.All(TaskFiles.Where(static hint => hint != "MyApp.Research.g.cs"), hint => Assert.Equal(IncrementalStepRunReason.Cached, files[hint]));
        Assert.DoesNotContain("Research", run.Texts().Second[Registry], StringComparison.Ordinal);
    }

    private static void AssertNothingChanged(IncrementalRun run)
    {
        var changed = run.TrackedOutputs()
            .Where(static output => output.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(static output => $"{output.Step}: {output.Reason} {output.Value}")
            .ToList();
        Assert.True(changed.Count == 0, "Steps that did work:\n" + string.Join("\n", changed));

        Assert.All(IncrementalRun.AllTrackingNames, name => Assert.True(run.Second.TrackedSteps.ContainsKey(name), $"step '{name}' did not run"));
        var files = run.Files();
        Assert.Equal([.. TaskFiles, Registry], files.Keys.Order(StringComparer.Ordinal).ToArray().OrderBy(static hint => hint == Registry).ThenBy(static hint => Array.IndexOf(TaskFiles, hint)));
        Assert.All(files, file => Assert.Equal(IncrementalStepRunReason.Cached, file.Value));

        var (before, after) = run.Texts();
        Assert.Equal(before, after);
    }

    /// <summary>The reasons of the outputs of step <paramref name="name"/> that differ from the first run (neither cached nor recomputed equal).</summary>
    private static IncrementalStepRunReason[] Changed(IncrementalRun run, string name) =>
        [.. run.Reasons(name).Where(static reason => reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))];

    private static string Heartbeat(string name, string arguments) =>
        "namespace MyApp; [SessionKinds.HeartbeatSession(" + arguments + ")] public partial class " + name + " : SessionKinds.IAgentTask { " + TaskSources.Body + " }";
}
