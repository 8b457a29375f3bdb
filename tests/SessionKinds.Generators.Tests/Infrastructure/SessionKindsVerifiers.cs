using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using SessionKinds.CodeFixes;
using SessionKinds.Generators.Analyzers;

namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>Every analyzer and code fix provider SessionKinds ships, found by reflection so a new one is never forgotten.</summary>
internal static class SessionKindsComponents
{
    public static readonly Assembly AnalyzerAssembly = typeof(SessionTaskAnalyzer).Assembly;

    public static readonly Assembly CodeFixAssembly = typeof(AddSessionKindCodeFixProvider).Assembly;

    public static IReadOnlyList<DiagnosticAnalyzer> CreateAnalyzers() =>
        [.. AnalyzerAssembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    public static IReadOnlyList<CodeFixProvider> CreateCodeFixProviders() =>
        [.. CodeFixAssembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)];
}

/// <summary>
/// Runs every SessionKinds analyzer over a test: expected diagnostics are written as markup
/// (<c>{|SKND0001:Name|}</c>), and any diagnostic not written (from any analyzer or the compiler) fails it.
/// </summary>
internal sealed class SessionKindsAnalyzerTest : CSharpAnalyzerTest<SessionTaskAnalyzer, DefaultVerifier>
{
    public SessionKindsAnalyzerTest(string source, bool withPrelude = true)
    {
        TestCode = source;
        HermeticReferences.Apply(TestState);
        if (withPrelude)
        {
            TestState.Sources.Add((TestSources.PreludeFileName, TestSources.Prelude));
        }
    }

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => SessionKindsComponents.CreateAnalyzers();

    protected override ParseOptions CreateParseOptions() => new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new SessionKindsAnalyzerTest(source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}

/// <summary>
/// Runs one code fix provider with every SessionKinds analyzer; the fixed code is compared exactly,
/// and FixAll is checked in document, project and solution scope unless a test opts out.
/// </summary>
internal sealed class SessionKindsCodeFixTest<TCodeFix> : CSharpCodeFixTest<SessionTaskAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public SessionKindsCodeFixTest(string source, string fixedSource, string? equivalenceKey = null, bool withPrelude = true)
    {
        TestCode = source;
        FixedCode = fixedSource;
        CodeActionEquivalenceKey = equivalenceKey;
        HermeticReferences.Apply(TestState);
        HermeticReferences.Apply(FixedState);
        if (withPrelude)
        {
            TestState.Sources.Add((TestSources.PreludeFileName, TestSources.Prelude));
            FixedState.Sources.Add((TestSources.PreludeFileName, TestSources.Prelude));
        }
    }

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => SessionKindsComponents.CreateAnalyzers();

    protected override ParseOptions CreateParseOptions() => new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
}
