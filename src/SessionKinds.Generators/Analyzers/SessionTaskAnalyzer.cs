using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SessionKinds.Generators.Diagnostics;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.Generators.Analyzers;

/// <summary>
/// Reports what the <see cref="TaskInspector"/> finds wrong with each class: SKND0001 (no kind), SKND0003 (several
/// kinds), SKND0004 (not partial), SKND0005 (cron schedule), SKND0006 (heartbeat settings), SKND0007 (kind on a type
/// that is not a task), SKND0009 (generic task), SKND0010 (kind on an abstract class) and, once the whole compilation
/// is seen, SKND0008 (two heartbeat tasks sharing a ring file). It decides no rule itself.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SessionTaskAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.MissingSessionKind,
        DiagnosticDescriptors.MultipleSessionKinds,
        DiagnosticDescriptors.TaskNotPartial,
        DiagnosticDescriptors.InvalidCronSchedule,
        DiagnosticDescriptors.InvalidHeartbeatSetting,
        DiagnosticDescriptors.KindOnNonTask,
        DiagnosticDescriptors.SharedHeartbeatRing,
        DiagnosticDescriptors.GenericTask,
        DiagnosticDescriptors.KindOnAbstractClass,
        DiagnosticDescriptors.TaskCannotBeCompleted,
        DiagnosticDescriptors.InvalidHeartbeatInterval,
        DiagnosticDescriptors.InvalidActiveHours,
        DiagnosticDescriptors.UnknownTimeZone,
        DiagnosticDescriptors.ScheduleNeverFires,
        DiagnosticDescriptors.TaskCannotBeCreated);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var symbols = SessionKindsSymbols.Create(start.Compilation);
            if (!symbols.HasKindAttributes && symbols.AgentTask is null)
            {
                return;
            }

            // A nested task is inspected for itself and for each type containing it: once is enough.
            var inspections = new ConcurrentDictionary<INamedTypeSymbol, TaskInspection>(SymbolEqualityComparer.Default);
            var rings = new ConcurrentQueue<(INamedTypeSymbol Task, RingFileClaim Ring)>();
            start.RegisterSymbolAction(c => AnalyzeType(c, inspections, rings), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(c => ReportSharedRings(c, rings));
        });
    }

    private static void AnalyzeType(
        SymbolAnalysisContext context,
        ConcurrentDictionary<INamedTypeSymbol, TaskInspection> inspections,
        ConcurrentQueue<(INamedTypeSymbol Task, RingFileClaim Ring)> rings)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var cancellationToken = context.CancellationToken;

        if (type.TypeKind == TypeKind.Class)
        {
            var inspection = Inspect(inspections, type, cancellationToken);
            foreach (var problem in inspection.ProblemsOwnedBy(type))
            {
                context.ReportDiagnostic(problem.ToDiagnostic());
            }

            if (inspection.Ring is { } ring)
            {
                rings.Enqueue((type, ring));
            }
        }

        // A type containing tasks: the first task whose inspection finds this type not partial reports it here, where
        // the declaration is (SKND0004 names that task).
        if (type.GetTypeMembers().Length > 0 && !TaskInspector.IsInGenericContext(type, out _))
        {
            foreach (var nested in TaskInspector.NestedKindedClasses(type, cancellationToken))
            {
                var problem = Inspect(inspections, nested, cancellationToken).ProblemsOwnedBy(type)
                    .FirstOrDefault(p => p.Id == DiagnosticIds.TaskNotPartial);
                if (problem is not null)
                {
                    context.ReportDiagnostic(problem.ToDiagnostic());
                    break;
                }
            }
        }
    }

    private static TaskInspection Inspect(ConcurrentDictionary<INamedTypeSymbol, TaskInspection> inspections, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (!inspections.TryGetValue(type, out var inspection))
        {
            inspection = inspections.GetOrAdd(type, TaskInspector.Inspect(type, cancellationToken));
        }

        return inspection;
    }

    /// <summary>SKND0008 on every heartbeat task whose ring file (compared ignoring case) another task writes too.</summary>
    private static void ReportSharedRings(CompilationAnalysisContext context, ConcurrentQueue<(INamedTypeSymbol Task, RingFileClaim Ring)> rings)
    {
        var groups = rings
            .GroupBy(r => r.Ring.RingFile.Trim(), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1);

        foreach (var group in groups)
        {
            var members = group.OrderBy(r => SymbolDisplay.Name(r.Task), StringComparer.Ordinal).ToList();
            foreach (var member in members)
            {
                var others = members.Where(m => !SymbolEqualityComparer.Default.Equals(m.Task, member.Task)).Select(m => "'" + SymbolDisplay.Name(m.Task) + "'").ToList();
                var otherText = others.Count == 1
                    ? others[0]
                    : string.Join(", ", others.Take(others.Count - 1)) + " and " + others[others.Count - 1];
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.SharedHeartbeatRing,
                    Location.Create(member.Ring.Tree, member.Ring.Span),
                    SymbolDisplay.Name(member.Task),
                    member.Ring.RingFile,
                    otherText,
                    AgentFileNameRules.SuggestRingFile(member.Task.Name)));
            }
        }
    }
}
