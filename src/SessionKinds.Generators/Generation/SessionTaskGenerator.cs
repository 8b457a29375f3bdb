using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SessionKinds.Generators.Generation.Model;

namespace SessionKinds.Generators.Generation;

/// <summary>
/// Completes every <c>partial</c> task class that carries a session kind attribute: it implements the
/// kind's static-abstract interface (<c>ISessionTask</c>, <c>IHeartbeatSessionTask</c>,
/// <c>ICronSessionTask</c>) with the attribute's settings baked in, adds a typed ring accessor to
/// heartbeat tasks, and lists every task once per assembly in <c>SessionKinds.Generated.SessionTasks</c>.
/// </summary>
/// <remarks>
/// Pipeline: one <c>ForAttributeWithMetadataName</c> per kind attribute → a value-equal
/// <see cref="SessionTaskSpec"/> per task → one source output per task. The registry sees only the
/// tasks' names (collected per kind and combined), so a task's settings never invalidate it. The
/// compilation is never combined into an output. Generic tasks are not supported: they are skipped here
/// and reported by the analyzer (SKND0009).
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class SessionTaskGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var userTasks = CompleteTasks(context, TypeNames.UserSessionAttribute, SessionTaskKind.User, TrackingNames.UserAttributes, TrackingNames.UserTasks);
        var heartbeatTasks = CompleteTasks(context, TypeNames.HeartbeatSessionAttribute, SessionTaskKind.Heartbeat, TrackingNames.HeartbeatAttributes, TrackingNames.HeartbeatTasks);
        var cronTasks = CompleteTasks(context, TypeNames.CronSessionAttribute, SessionTaskKind.Cron, TrackingNames.CronAttributes, TrackingNames.CronTasks);
        var subagentTasks = CompleteTasks(context, TypeNames.SubagentSessionAttribute, SessionTaskKind.Subagent, TrackingNames.SubagentAttributes, TrackingNames.SubagentTasks);

        var registry = Names(userTasks, TrackingNames.UserTaskNames, TrackingNames.UserTaskNamesCollected)
            .Combine(Names(heartbeatTasks, TrackingNames.HeartbeatTaskNames, TrackingNames.HeartbeatTaskNamesCollected))
            .WithTrackingName(TrackingNames.UserAndHeartbeatTaskNames)
            .Combine(Names(cronTasks, TrackingNames.CronTaskNames, TrackingNames.CronTaskNamesCollected))
            .WithTrackingName(TrackingNames.UserHeartbeatAndCronTaskNames)
            .Combine(Names(subagentTasks, TrackingNames.SubagentTaskNames, TrackingNames.SubagentTaskNamesCollected))
            .WithTrackingName(TrackingNames.AllTaskNames)
            .Select(static (names, cancellationToken) => CreateRegistry(names.Left.Left.Left, names.Left.Left.Right, names.Left.Right, names.Right))
            .WithTrackingName(TrackingNames.Registry);

        context.RegisterSourceOutput(registry, static (output, spec) =>
        {
            if (spec.TaskTypes.Count > 0)
            {
                AddSource(output, SessionTaskEmitter.Emit(in spec));
            }
        });
    }

    /// <summary>
    /// One kind's pipeline: its attribute's <c>ForAttributeWithMetadataName</c>, the tasks the parser can complete,
    /// and one source file per task. Returns the completed tasks for the registry.
    /// </summary>
    private static IncrementalValuesProvider<SessionTaskSpec> CompleteTasks(
        IncrementalGeneratorInitializationContext context,
        string attributeMetadataName,
        SessionTaskKind kind,
        string attributesTrackingName,
        string tasksTrackingName)
    {
        var tasks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attributeMetadataName,
                SessionTaskParser.IsCandidate,
                (target, cancellationToken) => SessionTaskParser.Parse(target, kind, cancellationToken))
            .WithTrackingName(attributesTrackingName)
            .SelectMany(static (spec, _) => spec is { } value ? ImmutableArray.Create(value) : ImmutableArray<SessionTaskSpec>.Empty)
            .WithTrackingName(tasksTrackingName);
        context.RegisterSourceOutput(tasks, static (output, spec) => AddSource(output, SessionTaskEmitter.Emit(in spec)));
        return tasks;
    }

    private static IncrementalValueProvider<ImmutableArray<string>> Names(IncrementalValuesProvider<SessionTaskSpec> tasks, string namesTrackingName, string collectedTrackingName) =>
        tasks
            .SelectMany(static (spec, _) => spec.IsObsoleteError ? ImmutableArray<string>.Empty : ImmutableArray.Create(spec.FullyQualifiedName))
            .WithTrackingName(namesTrackingName)
            .Collect()
            .WithTrackingName(collectedTrackingName);

    private static RegistrySpec CreateRegistry(
        ImmutableArray<string> user,
        ImmutableArray<string> heartbeat,
        ImmutableArray<string> cron,
        ImmutableArray<string> subagent)
    {
        var builder = ImmutableArray.CreateBuilder<string>(user.Length + heartbeat.Length + cron.Length + subagent.Length);
        builder.AddRange(user);
        builder.AddRange(heartbeat);
        builder.AddRange(cron);
        builder.AddRange(subagent);
        builder.Sort(StringComparer.Ordinal);
        return new RegistrySpec(new EquatableArray<string>(builder.MoveToImmutable()));
    }

    private static void AddSource(SourceProductionContext output, (string HintName, string Source) file) =>
        output.AddSource(file.HintName, file.Source);
}
