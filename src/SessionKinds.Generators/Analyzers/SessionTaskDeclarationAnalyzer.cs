using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SessionKinds.Generators.Diagnostics;

namespace SessionKinds.Generators.Analyzers;

/// <summary>
/// Checks the declaration of every class against the shape a session task must have:
/// SKND0001 (no kind), SKND0003 (several kinds), SKND0004 (not partial), SKND0007 (kind on a type
/// that is not a task) and SKND0009 (generic task).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SessionTaskDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.MissingSessionKind,
        DiagnosticDescriptors.MultipleSessionKinds,
        DiagnosticDescriptors.TaskNotPartial,
        DiagnosticDescriptors.KindOnNonTask,
        DiagnosticDescriptors.GenericTask);

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

            start.RegisterSymbolAction(c => AnalyzeType(c, symbols), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, SessionKindsSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var cancellationToken = context.CancellationToken;

        if (type.TypeKind == TypeKind.Class && !type.IsImplicitlyDeclared)
        {
            AnalyzeClass(context, symbols, type, cancellationToken);
        }

        if (type.GetTypeMembers().Length > 0 && !TypeDeclarations.IsInGenericContext(type, out _))
        {
            AnalyzeContainer(context, symbols, type, cancellationToken);
        }
    }

    private static void AnalyzeClass(SymbolAnalysisContext context, SessionKindsSymbols symbols, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var kinds = symbols.GetKindAttributes(type);
        var isAgentTask = symbols.IsAgentTask(type);
        var isGeneric = TypeDeclarations.IsInGenericContext(type, out var genericType);

        if (kinds.IsEmpty)
        {
            // A generic class cannot be a session task (SKND0009), so asking for a kind would mislead.
            if (isAgentTask && !type.IsAbstract && !type.IsStatic && !isGeneric
                && !SessionKindsSymbols.HasUnresolvedKindAttribute(type)
                && TypeDeclarations.FirstSourceLocation(type) is { } location)
            {
                var kindedBase = symbols.FindKindedBase(type);
                var note = kindedBase is { } found
                    ? $" (kinds are not inherited: its base class '{SymbolDisplay.Name(found.Base)}' has {found.Kind.Bracketed}, '{SymbolDisplay.Name(type)}' needs its own)"
                    : string.Empty;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingSessionKind, location, SymbolDisplay.Name(type), note));
            }

            return;
        }

        var firstAttribute = kinds[0].GetSyntax(cancellationToken);
        var identifier = TypeDeclarations.IdentifierOf(type, firstAttribute);
        if (identifier is null)
        {
            return;
        }

        var kindList = string.Join(", ", kinds.Select(k => k.Info.Bracketed));
        var properties = ImmutableDictionary<string, string?>.Empty.Add(
            DiagnosticProperties.Kinds, string.Join(",", kinds.Select(k => k.Info.KindName)));

        if (!isAgentTask)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.KindOnNonTask, identifier, properties, SymbolDisplay.Name(type), kindList));
            return;
        }

        if (kinds.Length > 1)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MultipleSessionKinds, identifier, properties, SymbolDisplay.Name(type), kindList));
        }

        if (isGeneric)
        {
            var reason = SymbolEqualityComparer.Default.Equals(genericType, type)
                ? "is generic"
                : $"is nested in the generic type '{SymbolDisplay.Name(genericType!)}'";
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GenericTask, identifier, SymbolDisplay.Name(type), reason));
            return;
        }

        if (TypeDeclarations.FindNonPartialDeclaration(type, cancellationToken) is { } declaration)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.TaskNotPartial,
                declaration.Identifier.GetLocation(),
                SymbolDisplay.Name(type),
                "so that the SessionKinds generator can complete it"));
        }
    }

    /// <summary>SKND0004 on a type that contains a session task but is not partial.</summary>
    private static void AnalyzeContainer(SymbolAnalysisContext context, SessionKindsSymbols symbols, INamedTypeSymbol container, CancellationToken cancellationToken)
    {
        var task = FindNestedTask(symbols, container, cancellationToken);
        if (task is null || TypeDeclarations.FindNonPartialDeclaration(container, cancellationToken) is not { } declaration)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.TaskNotPartial,
            declaration.Identifier.GetLocation(),
            SymbolDisplay.Name(container),
            $"because it contains the session task '{SymbolDisplay.Name(task)}'"));
    }

    /// <summary>The first nested class (at any depth) that is a session task, or <see langword="null"/>.</summary>
    private static INamedTypeSymbol? FindNestedTask(SessionKindsSymbols symbols, INamedTypeSymbol container, CancellationToken cancellationToken)
    {
        foreach (var nested in container.GetTypeMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsSessionTask(symbols, nested))
            {
                return nested;
            }

            // A task nested in a generic type is SKND0009, not a reason to make its containers partial.
            if (nested.TypeParameters.Length == 0 && FindNestedTask(symbols, nested, cancellationToken) is { } deeper)
            {
                return deeper;
            }
        }

        return null;
    }

    /// <summary>A class the generator completes: it has a kind attribute, implements IAgentTask and is not generic.</summary>
    internal static bool IsSessionTask(SessionKindsSymbols symbols, INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Class
        && type.TypeParameters.Length == 0
        && symbols.HasKind(type)
        && symbols.IsAgentTask(type);
}
