using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SessionKinds.Generators.Generation.Model;

namespace SessionKinds.Generators.Tasks;

/// <summary>
/// What <see cref="TaskInspector.Inspect"/> found out about one class: either a task the generator completes
/// (<see cref="IsCompleted"/>, with the settings to bake in) or what is wrong with it (<see cref="Problems"/>), or
/// neither (a class that is not a task, or one whose attribute the compiler already rejects). Holds symbols: the
/// analyzers and code fixes read it directly, the generator turns it into a value-equal spec
/// (<see cref="Generation.TaskSpecs.Create"/>) and keeps only that.
/// </summary>
internal sealed class TaskInspection
{
    internal TaskInspection(
        INamedTypeSymbol type,
        ImmutableArray<KindAttributeUsage> kindAttributes,
        ImmutableArray<TaskProblem> problems,
        bool isCompleted,
        HeartbeatSpec? heartbeat,
        string? cronSchedule,
        RingFileClaim? ring,
        string? cronTimeZone = null,
        FactorySpec factory = default)
    {
        Type = type;
        KindAttributes = kindAttributes;
        Problems = problems;
        IsCompleted = isCompleted;
        Heartbeat = heartbeat;
        CronSchedule = cronSchedule;
        Ring = ring;
        CronTimeZone = cronTimeZone;
        Factory = factory;
    }

    /// <summary>The class inspected.</summary>
    public INamedTypeSymbol Type { get; }

    /// <summary>Its session kind attributes (on every part), in source order.</summary>
    public ImmutableArray<KindAttributeUsage> KindAttributes { get; }

    /// <summary>Its one kind, or <see langword="null"/> when it has none or several.</summary>
    public SessionKindInfo? Kind => KindAttributes.Length == 1 ? KindAttributes[0].Info : null;

    /// <summary>Everything the analyzers report about it, in a stable order.</summary>
    public ImmutableArray<TaskProblem> Problems { get; }

    /// <summary>
    /// The generator completes it: one kind, an <c>IAgentTask</c>, concrete, not generic, partial with its containers,
    /// valid settings, and nothing the compiler rejects (a file-local type, a name taken by the generated registry).
    /// </summary>
    public bool IsCompleted { get; }

    /// <summary>The heartbeat settings of a completed heartbeat task.</summary>
    public HeartbeatSpec? Heartbeat { get; }

    /// <summary>The schedule of a completed cron task.</summary>
    public string? CronSchedule { get; }

    /// <summary>The IANA time zone of a completed cron task's schedule.</summary>
    public string? CronTimeZone { get; }

    /// <summary>How the generated factory creates a completed task from a service provider.</summary>
    public FactorySpec Factory { get; }

    /// <summary>
    /// The ring file a heartbeat task writes, for SKND0008 (two tasks sharing one). Set for every class that is a
    /// heartbeat task by its declaration (one kind, an <c>IAgentTask</c>, concrete, not generic) with a valid ring file
    /// name, even when another of its problems keeps the generator from completing it, so that users see every clash at once.
    /// </summary>
    public RingFileClaim? Ring { get; }

    /// <summary>The problems reported on <paramref name="owner"/>'s declarations.</summary>
    public IEnumerable<TaskProblem> ProblemsOwnedBy(INamedTypeSymbol owner)
    {
        foreach (var problem in Problems)
        {
            if (SymbolEqualityComparer.Default.Equals(problem.Owner, owner))
            {
                yield return problem;
            }
        }
    }
}

/// <summary>A heartbeat task's ring file and where SKND0008 points when another task writes it too.</summary>
internal sealed class RingFileClaim
{
    public RingFileClaim(string ringFile, SyntaxTree tree, TextSpan span)
    {
        RingFile = ringFile;
        Tree = tree;
        Span = span;
    }

    public string RingFile { get; }

    public SyntaxTree Tree { get; }

    /// <summary>The <c>RingFile = ...</c> argument when it is written, else the task's identifier.</summary>
    public TextSpan Span { get; }
}
