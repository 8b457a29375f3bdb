using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SessionKinds.Generators.Diagnostics;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.Generators.Analyzers;

/// <summary>
/// SKND0002: a session is started without a kind. Two shapes: (a) a <c>SessionKind</c> argument of a
/// SessionKinds API whose constant value is not a defined kind (<c>Unspecified</c>, <c>default</c>,
/// <c>(SessionKind)42</c>, ...), judged on constant values, never on text; (b) a class without a session
/// kind attribute used as the type argument of a type parameter constrained to <c>ISessionTask</c>
/// (the compiler's CS0311 says that the constraint fails, this says which attribute to add).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SessionKindUsageAnalyzer : DiagnosticAnalyzer
{
    private const int MaxQuotedExpressionLength = 60;

    private static readonly ImmutableDictionary<string, string?> KindValueProperties =
        ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.Subject, DiagnosticProperties.KindValue);

    private static readonly ImmutableDictionary<string, string?> TypeArgumentProperties =
        ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.Subject, DiagnosticProperties.TypeArgument);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.SessionWithoutKind);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var symbols = SessionKindsSymbols.Create(start.Compilation);
            if (symbols.SessionKind is not null && !symbols.DefinedKindValues.IsEmpty)
            {
                var kindList = DescribeKinds(symbols.SessionKind, symbols.DefinedKindValues);
                start.RegisterOperationAction(c => AnalyzeArgument(c, symbols, kindList), OperationKind.Argument);
            }

            if (symbols.SessionTask is not null)
            {
                start.RegisterSyntaxNodeAction(c => AnalyzeGenericName(c, symbols), SyntaxKind.GenericName);
                start.RegisterSyntaxNodeAction(c => AnalyzeInvocation(c, symbols), SyntaxKind.InvocationExpression);
            }
        });
    }

    private static void AnalyzeArgument(OperationAnalysisContext context, SessionKindsSymbols symbols, string kindList)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.ArgumentKind != ArgumentKind.Explicit
            || argument.Parameter is not { } parameter
            || parameter.RefKind is RefKind.Ref or RefKind.Out
            || !SymbolEqualityComparer.Default.Equals(parameter.OriginalDefinition.Type, symbols.SessionKind)
            || !IsDeclaredInSessionKindsNamespace(parameter.ContainingSymbol))
        {
            return;
        }

        var value = argument.Value;
        if (!value.ConstantValue.HasValue
            || !ConstantValues.TryGetInteger(value.ConstantValue.Value, out var constant)
            || symbols.DefinedKindValues.Contains(constant))
        {
            return;
        }

        var what = $"The argument '{Quote(value.Syntax)}' of '{SymbolDisplay.Member(parameter.ContainingSymbol)}'";
        var why = constant == 0
            ? $"its value is {symbols.SessionKind!.Name}.{NameOfZero(symbols.SessionKind)}; pass {kindList}"
            : $"its value {constant} is not a defined {symbols.SessionKind!.Name}; pass {kindList}";
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SessionWithoutKind, value.Syntax.GetLocation(), KindValueProperties, what, why));
    }

    /// <summary>Explicit type arguments: <c>StartSession&lt;ChatTurn&gt;(...)</c>, <c>HeartbeatRing&lt;InboxCheck&gt;</c>.</summary>
    private static void AnalyzeGenericName(SyntaxNodeAnalysisContext context, SessionKindsSymbols symbols)
    {
        var name = (GenericNameSyntax)context.Node;
        if (name.IsUnboundGenericName)
        {
            return;
        }

        var arguments = name.TypeArgumentList.Arguments;
        var info = context.SemanticModel.GetSymbolInfo(name, context.CancellationToken);
        var reported = new HashSet<int>();
        foreach (var candidate in Candidates(info))
        {
            var (typeParameters, typeArguments) = candidate switch
            {
                IMethodSymbol method => (method.TypeParameters, method.TypeArguments),
                INamedTypeSymbol type => (type.TypeParameters, type.TypeArguments),
                _ => (ImmutableArray<ITypeParameterSymbol>.Empty, ImmutableArray<ITypeSymbol>.Empty),
            };

            if (typeParameters.Length != arguments.Count || typeArguments.Length != arguments.Count)
            {
                continue;
            }

            for (var i = 0; i < arguments.Count; i++)
            {
                if (!reported.Contains(i) && TryReport(context, symbols, candidate, typeParameters[i], typeArguments[i], arguments[i].GetLocation()))
                {
                    reported.Add(i);
                }
            }
        }
    }

    /// <summary>Inferred type arguments: <c>store.RunAsync(chatTurn)</c>.</summary>
    private static void AnalyzeInvocation(SyntaxNodeAnalysisContext context, SessionKindsSymbols symbols)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name,
            MemberBindingExpressionSyntax binding => binding.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };

        // Explicit type arguments are the generic name's business.
        if (name is null or GenericNameSyntax)
        {
            return;
        }

        var info = context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken);
        foreach (var candidate in Candidates(info))
        {
            if (candidate is not IMethodSymbol { IsGenericMethod: true } method)
            {
                continue;
            }

            var definition = method.ReducedFrom ?? method.OriginalDefinition;
            var offset = method.ReducedFrom is null ? 0 : 1;
            foreach (var typeParameter in definition.TypeParameters)
            {
                var typeArgument = TypeArgumentFor(method, typeParameter);
                if (typeArgument is null)
                {
                    continue;
                }

                var location = FindArgumentOf(invocation, definition, typeParameter, offset)?.GetLocation() ?? name.GetLocation();
                if (TryReport(context, symbols, method, typeParameter, typeArgument, location))
                {
                    return;
                }
            }
        }
    }

    private static bool TryReport(SyntaxNodeAnalysisContext context, SessionKindsSymbols symbols, ISymbol generic, ITypeParameterSymbol typeParameter, ITypeSymbol typeArgument, Location location)
    {
        if (!symbols.RequiresSessionTask(typeParameter)
            || typeArgument is not INamedTypeSymbol { TypeKind: TypeKind.Class } type
            || TaskInspector.HasKind(type.OriginalDefinition)
            || TaskInspector.HasUnresolvedKindAttribute(type.OriginalDefinition)
            || !(RuntimeTypes.IsAgentTask(type) || type.Locations.Any(l => l.IsInSource)))
        {
            return false;
        }

        var typeName = SymbolDisplay.Name(type);
        var note = TaskInspector.FindKindedBase(type) is { } kindedBase
            ? $"kinds are not inherited from its base class '{SymbolDisplay.Name(kindedBase.Base)}'; "
            : string.Empty;
        var why = $"{note}add {SessionKindTable.MentionList} to '{typeName}' so that it can be used as '{typeParameter.Name}' of '{SymbolDisplay.Member(generic)}'";
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SessionWithoutKind, location, TypeArgumentProperties, "'" + typeName + "'", why));
        return true;
    }

    private static IEnumerable<ISymbol> Candidates(SymbolInfo info) =>
        info.Symbol is { } symbol ? new[] { symbol } : info.CandidateSymbols;

    private static ITypeSymbol? TypeArgumentFor(IMethodSymbol method, ITypeParameterSymbol typeParameter)
    {
        if (method.ReducedFrom is not null && method.GetTypeInferredDuringReduction(typeParameter) is { } inferred)
        {
            return inferred;
        }

        var typeParameters = method.TypeParameters;
        for (var i = 0; i < typeParameters.Length && i < method.TypeArguments.Length; i++)
        {
            if (typeParameters[i].Ordinal == typeParameter.Ordinal && typeParameters[i].Name == typeParameter.Name)
            {
                return method.TypeArguments[i];
            }
        }

        return null;
    }

    /// <summary>The argument expression whose parameter has the type parameter as its type (where the type was inferred from).</summary>
    private static SyntaxNode? FindArgumentOf(InvocationExpressionSyntax invocation, IMethodSymbol definition, ITypeParameterSymbol typeParameter, int offset)
    {
        var parameters = definition.Parameters;
        if (offset == 1 && parameters.Length > 0 && SymbolEqualityComparer.Default.Equals(parameters[0].Type, typeParameter))
        {
            return (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
        }

        var arguments = invocation.ArgumentList.Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            IParameterSymbol? parameter = null;
            if (argument.NameColon is { } nameColon)
            {
                parameter = parameters.FirstOrDefault(p => p.Name == nameColon.Name.Identifier.ValueText);
            }
            else if (i + offset < parameters.Length)
            {
                parameter = parameters[i + offset];
            }

            if (parameter is not null && SymbolEqualityComparer.Default.Equals(parameter.Type, typeParameter))
            {
                return argument.Expression;
            }
        }

        return null;
    }

    private static bool IsDeclaredInSessionKindsNamespace(ISymbol member)
    {
        var ns = member.ContainingType?.ContainingNamespace;
        while (ns is { IsGlobalNamespace: false, ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: false } && ns.Name == TypeNames.Namespace;
    }

    private static string NameOfZero(INamedTypeSymbol sessionKind)
    {
        foreach (var member in sessionKind.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field
                && ConstantValues.TryGetInteger(field.ConstantValue, out var value)
                && value == 0)
            {
                return field.Name;
            }
        }

        return "Unspecified";
    }

    /// <summary>"SessionKind.User, SessionKind.Heartbeat, SessionKind.Cron or SessionKind.Subagent", from the enum itself.</summary>
    private static string DescribeKinds(INamedTypeSymbol sessionKind, ImmutableArray<long> definedValues)
    {
        var names = new List<string>();
        foreach (var member in sessionKind.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field
                && ConstantValues.TryGetInteger(field.ConstantValue, out var value)
                && definedValues.Contains(value))
            {
                names.Add(sessionKind.Name + "." + field.Name);
            }
        }

        return names.Count <= 1
            ? string.Join(string.Empty, names)
            : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[names.Count - 1];
    }

    private static string Quote(SyntaxNode node)
    {
        var text = node.ToString().Trim();
        return text.Length <= MaxQuotedExpressionLength ? text : text.Substring(0, MaxQuotedExpressionLength) + "...";
    }
}
