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
        var user = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.UserSessionAttribute,
                SessionTaskParser.IsCandidate,
                static (target, cancellationToken) => SessionTaskParser.Parse(target, SessionTaskKind.User, cancellationToken))
            .WithTrackingName(TrackingNames.UserAttributes);
        var heartbeat = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.HeartbeatSessionAttribute,
                SessionTaskParser.IsCandidate,
                static (target, cancellationToken) => SessionTaskParser.Parse(target, SessionTaskKind.Heartbeat, cancellationToken))
            .WithTrackingName(TrackingNames.HeartbeatAttributes);
        var cron = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.CronSessionAttribute,
                SessionTaskParser.IsCandidate,
                static (target, cancellationToken) => SessionTaskParser.Parse(target, SessionTaskKind.Cron, cancellationToken))
            .WithTrackingName(TrackingNames.CronAttributes);
        var subagent = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.SubagentSessionAttribute,
                SessionTaskParser.IsCandidate,
                static (target, cancellationToken) => SessionTaskParser.Parse(target, SessionTaskKind.Subagent, cancellationToken))
            .WithTrackingName(TrackingNames.SubagentAttributes);

        var userTasks = Completed(user, TrackingNames.UserTasks);
        var heartbeatTasks = Completed(heartbeat, TrackingNames.HeartbeatTasks);
        var cronTasks = Completed(cron, TrackingNames.CronTasks);
        var subagentTasks = Completed(subagent, TrackingNames.SubagentTasks);

        context.RegisterSourceOutput(userTasks, static (output, spec) => AddSource(output, SessionTaskEmitter.Emit(in spec)));
        context.RegisterSourceOutput(heartbeatTasks, static (output, spec) => AddSource(output, SessionTaskEmitter.Emit(in spec)));
        context.RegisterSourceOutput(cronTasks, static (output, spec) => AddSource(output, SessionTaskEmitter.Emit(in spec)));
        context.RegisterSourceOutput(subagentTasks, static (output, spec) => AddSource(output, SessionTaskEmitter.Emit(in spec)));

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

    private static IncrementalValuesProvider<SessionTaskSpec> Completed(IncrementalValuesProvider<SessionTaskSpec?> parsed, string trackingName) =>
        parsed
            .SelectMany(static (spec, _) => spec is { } value ? ImmutableArray.Create(value) : ImmutableArray<SessionTaskSpec>.Empty)
            .WithTrackingName(trackingName);

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
