using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SessionKinds.Generators.Generation.Model;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.Generators.Generation;

/// <summary>
/// Completes every <c>partial</c> task class that carries a session kind attribute: it implements the
/// kind's static-abstract interface (<c>ISessionTask</c>, <c>IHeartbeatSessionTask</c>,
/// <c>ICronSessionTask</c>) with the attribute's settings baked in, adds a typed ring accessor to
/// heartbeat tasks, and lists every task once per assembly in <c>SessionKinds.Generated.SessionTasks</c>.
/// </summary>
/// <remarks>
/// Pipeline, built by one loop over <see cref="SessionKindTable"/>: one <c>ForAttributeWithMetadataName</c> per kind
/// attribute → the <see cref="TaskInspector"/> decides, <see cref="TaskSpecs"/> gives a value-equal
/// <see cref="SessionTaskSpec"/> per completed task → one source output per task. The registry sees only each task's
/// <see cref="RegistryEntrySpec"/> (collected per kind and appended), so a task's settings never invalidate it. The
/// compilation is never combined into an output. What the inspection does not complete is skipped quietly; the
/// analyzers report why.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class SessionTaskGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<EquatableArray<RegistryEntrySpec>>? entries = null;
        foreach (var kind in SessionKindTable.All)
        {
            var tasks = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    kind.MetadataName,
                    TaskSpecs.IsCandidate,
                    (target, cancellationToken) => TaskSpecs.Transform(target, kind, cancellationToken))
                .WithTrackingName(TrackingNames.Tasks)
                .SelectMany(static (spec, _) => spec is { } value ? ImmutableArray.Create(value) : ImmutableArray<SessionTaskSpec>.Empty)
                .WithTrackingName(TrackingNames.CompletedTasks);
            context.RegisterSourceOutput(tasks, static (output, spec) => AddSource(output, SessionTaskEmitter.Emit(in spec)));

            var kindEntries = tasks
                .SelectMany(static (spec, _) => spec.RegistryEntry is { } entry ? ImmutableArray.Create(entry) : ImmutableArray<RegistryEntrySpec>.Empty)
                .WithTrackingName(TrackingNames.RegistryEntries)
                .Collect();
            entries = entries is { } previous
                ? previous.Combine(kindEntries).Select(static (pair, _) => Append(pair.Left, pair.Right))
                : kindEntries.Select(static (added, _) => Append(EquatableArray<RegistryEntrySpec>.Empty, added));
        }

        var registry = entries!.Value
            .Select(static (all, _) => CreateRegistry(all))
            .WithTrackingName(TrackingNames.Registry);
        context.RegisterSourceOutput(registry, static (output, spec) =>
        {
            if (spec.Tasks.Count > 0)
            {
                AddSource(output, SessionTaskEmitter.Emit(in spec));
            }
        });

        // With SessionKinds.Hosting referenced, AddGeneratedTasks() hands the (internal) registry to the host: generated
        // here because only this assembly can name its registry. Two booleans, so the step caches across edits.
        var hosting = context.CompilationProvider
            .Select(static (compilation, _) => ReferencesHosting(compilation))
            .Combine(registry.Select(static (spec, _) => spec.Tasks.Count > 0))
            .WithTrackingName(TrackingNames.Hosting);
        context.RegisterSourceOutput(hosting, static (output, pair) =>
        {
            if (pair.Left)
            {
                AddSource(output, SessionTaskEmitter.EmitHostingExtension(hasTasks: pair.Right));
            }
        });
    }

    /// <summary>Whether the compilation references the SessionKinds.Hosting assembly (by name: no type lookup).</summary>
    private static bool ReferencesHosting(Compilation compilation)
    {
        foreach (var reference in compilation.ReferencedAssemblyNames)
        {
            if (string.Equals(reference.Name, SessionTaskEmitter.HostingAssemblyName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static EquatableArray<RegistryEntrySpec> Append(EquatableArray<RegistryEntrySpec> entries, ImmutableArray<RegistryEntrySpec> added)
    {
        var builder = ImmutableArray.CreateBuilder<RegistryEntrySpec>(entries.Count + added.Length);
        builder.AddRange(entries);
        builder.AddRange(added);
        return new EquatableArray<RegistryEntrySpec>(builder.MoveToImmutable());
    }

    private static RegistrySpec CreateRegistry(EquatableArray<RegistryEntrySpec> entries)
    {
        var builder = ImmutableArray.CreateBuilder<RegistryEntrySpec>(entries.Count);
        builder.AddRange(entries);
        builder.Sort(static (a, b) => StringComparer.Ordinal.Compare(a.TaskType, b.TaskType));
        return new RegistrySpec(new EquatableArray<RegistryEntrySpec>(builder.MoveToImmutable()));
    }

    private static void AddSource(SourceProductionContext output, (string HintName, string Source) file) =>
        output.AddSource(file.HintName, file.Source);
}
