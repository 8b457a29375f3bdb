using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SessionKinds.Generators.Diagnostics;

namespace SessionKinds.Generators.Analyzers;

/// <summary>
/// Checks the arguments of the session kind attributes: SKND0005 (cron schedule), SKND0006 (heartbeat
/// settings) and, once the whole compilation is seen, SKND0008 (two heartbeat tasks sharing a ring file).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SessionTaskSettingsAnalyzer : DiagnosticAnalyzer
{
    private const string RingSizeName = "RingSize";
    private const string AckMaxCharsName = "AckMaxChars";
    private const string RingFileName = "RingFile";
    private const string DefaultRingFileField = "DefaultRingFile";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InvalidCronSchedule,
        DiagnosticDescriptors.InvalidHeartbeatSetting,
        DiagnosticDescriptors.SharedHeartbeatRing);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var symbols = SessionKindsSymbols.Create(start.Compilation);
            if (!symbols.HasKindAttributes)
            {
                return;
            }

            var rings = new ConcurrentQueue<RingFileUse>();
            start.RegisterSymbolAction(c => AnalyzeType(c, symbols, rings), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(c => ReportSharedRings(c, rings));
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, SessionKindsSymbols symbols, ConcurrentQueue<RingFileUse> rings)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class)
        {
            return;
        }

        var kinds = symbols.GetKindAttributes(type);
        foreach (var usage in kinds)
        {
            if (usage.Info == SessionKindAttributes.Cron)
            {
                AnalyzeCron(context, type, usage, context.CancellationToken);
            }
            else if (usage.Info == SessionKindAttributes.Heartbeat)
            {
                var ring = AnalyzeHeartbeat(context, type, usage, context.CancellationToken);

                // Only tasks the generator completes own a ring (not SKND0003/0007/0009 types, not abstract bases).
                if (ring is not null && kinds.Length == 1 && !type.IsAbstract && SessionTaskDeclarationAnalyzer.IsSessionTask(symbols, type)
                    && !TypeDeclarations.IsInGenericContext(type, out _))
                {
                    rings.Enqueue(ring);
                }
            }
        }
    }

    private static void AnalyzeCron(SymbolAnalysisContext context, INamedTypeSymbol type, KindAttributeUsage usage, CancellationToken cancellationToken)
    {
        var attribute = usage.GetSyntax(cancellationToken);
        if (attribute is null)
        {
            return;
        }

        var argument = FindScheduleArgument(attribute);
        if (argument is null)
        {
            // [CronSession] or [CronSession()]: the compiler also reports CS7036; say what to write.
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InvalidCronSchedule,
                attribute.GetLocation(),
                SymbolDisplay.Name(type),
                "the schedule is missing; pass one, e.g. [CronSession(\"0 7 * * *\")] for every day at 07:00 UTC"));
            return;
        }

        // Only a constant string (or null) can be judged; anything else is already a compiler error.
        var data = usage.Data;
        if (data.AttributeConstructor is null
            || data.ConstructorArguments.Length != 1
            || data.ConstructorArguments[0].Kind != TypedConstantKind.Primitive
            || data.ConstructorArguments[0].Value is not (null or string))
        {
            return;
        }

        var schedule = data.ConstructorArguments[0].Value as string;
        if (CronScheduleSyntax.TryParse(schedule, out _, out var error))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.InvalidCronSchedule,
            argument.GetLocation(),
            SymbolDisplay.Name(type),
            DescribeCronError(schedule, error)));
    }

    /// <summary>Checks RingSize, AckMaxChars and RingFile; returns the task's ring file when it is valid.</summary>
    private static RingFileUse? AnalyzeHeartbeat(SymbolAnalysisContext context, INamedTypeSymbol type, KindAttributeUsage usage, CancellationToken cancellationToken)
    {
        var attribute = usage.GetSyntax(cancellationToken);
        if (attribute is null)
        {
            return null;
        }

        var ringFile = GetDefaultRingFile(usage.Data.AttributeClass);
        Location? ringFileLocation = null;
        var ringFileValid = true;

        foreach (var named in usage.Data.NamedArguments)
        {
            var argument = FindNamedArgument(attribute, named.Key);
            if (argument is null)
            {
                continue;
            }

            var value = named.Value;
            string? problem = null;
            switch (named.Key)
            {
                case RingSizeName when value.Value is int ringSize && (ringSize < AgentFileNameRules.MinRingSize || ringSize > AgentFileNameRules.MaxRingSize):
                    problem = $"RingSize = {ringSize} is out of range; use a value from {AgentFileNameRules.MinRingSize} to {AgentFileNameRules.MaxRingSize} (how many heartbeat results the ring keeps, default {AgentFileNameRules.DefaultRingSize})";
                    break;
                case AckMaxCharsName when value.Value is int ackMaxChars && ackMaxChars < AgentFileNameRules.MinAckMaxChars:
                    problem = $"AckMaxChars = {ackMaxChars} is out of range; use {AgentFileNameRules.MinAckMaxChars} or more (how much text may remain beside HEARTBEAT_OK, default {AgentFileNameRules.DefaultAckMaxChars})";
                    break;
                case RingFileName when value.Kind == TypedConstantKind.Primitive || value.IsNull:
                    ringFileLocation = argument.GetLocation();
                    ringFile = value.Value as string;
                    problem = DescribeRingFileProblem(ringFile, SuggestRingFile(type));
                    ringFileValid = problem is null;
                    break;
            }

            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidHeartbeatSetting, argument.GetLocation(), SymbolDisplay.Name(type), problem));
            }
        }

        if (!ringFileValid || ringFile is null)
        {
            return null;
        }

        var location = ringFileLocation ?? TypeDeclarations.IdentifierOf(type, attribute);
        return location is null ? null : new RingFileUse(type, ringFile, location);
    }

    private static void ReportSharedRings(CompilationAnalysisContext context, ConcurrentQueue<RingFileUse> rings)
    {
        var groups = rings
            .GroupBy(r => r.RingFile.Trim(), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1);

        foreach (var group in groups)
        {
            var members = group.OrderBy(r => SymbolDisplay.Name(r.Task), StringComparer.Ordinal).ToList();
            foreach (var member in members)
            {
                var others = members.Where(m => !ReferenceEquals(m, member)).Select(m => "'" + SymbolDisplay.Name(m.Task) + "'").ToList();
                var otherText = others.Count == 1
                    ? others[0]
                    : string.Join(", ", others.Take(others.Count - 1)) + " and " + others[others.Count - 1];
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.SharedHeartbeatRing,
                    member.Location,
                    SymbolDisplay.Name(member.Task),
                    member.RingFile,
                    otherText,
                    SuggestRingFile(member.Task)));
            }
        }
    }

    /// <summary>The positional schedule argument, or <c>schedule: "..."</c>; <see langword="null"/> when there is none.</summary>
    private static AttributeArgumentSyntax? FindScheduleArgument(AttributeSyntax attribute)
    {
        if (attribute.ArgumentList is null)
        {
            return null;
        }

        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals is null)
            {
                return argument;
            }
        }

        return null;
    }

    private static AttributeArgumentSyntax? FindNamedArgument(AttributeSyntax attribute, string name)
    {
        if (attribute.ArgumentList is null)
        {
            return null;
        }

        AttributeArgumentSyntax? found = null;
        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
            {
                found = argument; // the last assignment wins, as in the attribute data
            }
        }

        return found;
    }

    private static string DescribeCronError(string? schedule, string? error)
    {
        var reason = error ?? "it does not parse";
        if (schedule is null || schedule.Trim().Length == 0)
        {
            return reason;
        }

        return $"{reason} in \"{schedule}\"; write five fields (minute hour day-of-month month day-of-week), e.g. \"0 7 * * *\", or a macro such as \"@daily\"";
    }

    // The runtime's own file-name rules (src/Shared), so a ring file accepted here is accepted at run time.
    private static string? DescribeRingFileProblem(string? ringFile, string suggestion)
    {
        var reason = AgentFileNameRules.FindFileNameProblem(ringFile);
        return reason is null
            ? null
            : $"RingFile {(ringFile is null ? "null" : "\"" + AgentFileNameRules.Printable(ringFile) + "\"")} cannot be used: {reason}; use a plain file name inside the agent folder, e.g. \"{suggestion}\"";
    }

    private static string GetDefaultRingFile(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is not null)
        {
            foreach (var member in attributeClass.GetMembers(DefaultRingFileField))
            {
                if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: string value })
                {
                    return value;
                }
            }
        }

        return AgentFileNameRules.DefaultRingFile;
    }

    /// <summary>A ring file name for a task: <c>InboxCheck</c> → <c>inbox-check-ring.json</c>.</summary>
    internal static string SuggestRingFile(INamedTypeSymbol task)
    {
        var name = task.Name;
        var builder = new StringBuilder(name.Length + 12);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var startsWord = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (startsWord && builder.Length > 0 && builder[builder.Length - 1] != '-')
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '-')
            {
                builder.Append('-');
            }
        }

        var stem = builder.ToString().Trim('-');
        return (stem.Length == 0 ? "heartbeat" : stem) + "-ring.json";
    }

    private sealed class RingFileUse
    {
        public RingFileUse(INamedTypeSymbol task, string ringFile, Location location)
        {
            Task = task;
            RingFile = ringFile;
            Location = location;
        }

        public INamedTypeSymbol Task { get; }

        public string RingFile { get; }

        public Location Location { get; }
    }
}
