using System.Collections.Immutable;
using System.Reflection;
using Microsoft.Agents.AI;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.AI;
using SessionKinds.Generators.Generation;

namespace SessionKinds.AgentFramework.Tests.Analyzers;

/// <summary>
/// A task that wraps an agent or a chat client is still a task: compiled with the real generator and every analyzer (on
/// hermetic references), a concrete class over the adapter without a kind attribute is SKND0001 at its name, unchanged;
/// with a kind it compiles clean and the generator completes it.
/// </summary>
public sealed class KindRequiredTests
{
    private const string Usings = """
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using SessionKinds;
        using SessionKinds.AgentFramework;

        namespace App;

        """;

    [Fact]
    public async Task An_agent_task_without_a_kind_is_SKND0001_at_its_name()
    {
        var diagnostics = await CompileAsync(Usings + """
            public sealed partial class InboxCheck(AIAgent agent) : AgentTask(agent)
            {
                protected override string DefaultPrompt => "Anything new? Reply HEARTBEAT_OK if not.";
            }
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(("SKND0001", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        Assert.Equal(((8, 29), (8, 39)), Span(diagnostic));
        Assert.Equal(
            "'InboxCheck' implements IAgentTask but has no session kind attribute; add [UserSession], [HeartbeatSession], [CronSession(\"...\")] or [SubagentSession] to 'InboxCheck'",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task A_chat_client_task_without_a_kind_is_SKND0001_at_its_name()
    {
        var diagnostics = await CompileAsync(Usings + """
            public sealed partial class ChatTurn(IChatClient model) : ChatClientTask(model);
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("SKND0001", diagnostic.Id);
        Assert.Equal(((8, 29), (8, 37)), Span(diagnostic));
    }

    [Fact]
    public async Task An_agent_task_without_a_kind_cannot_be_run_either()
    {
        var diagnostics = await CompileAsync(Usings + """
            public sealed partial class InboxCheck(AIAgent agent) : AgentTask(agent);

            public static class Host
            {
                public static async Task Beat(SessionStore store, AIAgent agent) => await store.RunAsync(new InboxCheck(agent), "agent:main:heartbeat");
            }
            """);

        Assert.Equal(["CS0311", "SKND0001", "SKND0002"], diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("[HeartbeatSession]", "AgentTask(agent)", "AIAgent agent")]
    [InlineData("[CronSession(\"0 7 * * *\")]", "AgentTask(agent)", "AIAgent agent")]
    [InlineData("[UserSession]", "ChatClientTask(model)", "IChatClient model")]
    [InlineData("[SubagentSession]", "ChatClientTask(model)", "IChatClient model")]
    public async Task With_a_kind_it_compiles_clean_and_the_generator_completes_it(string attribute, string baseClass, string parameter)
    {
        var (diagnostics, generated) = await CompileWithOutputAsync(Usings + $$"""
            {{attribute}}
            public sealed partial class Task1({{parameter}}) : {{baseClass}};

            public static class Host
            {
                public static async Task Run(SessionStore store, Task1 task) => await store.RunAsync(task, "agent:main:k", "prompt");
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Contains(generated, source => source.Contains("partial class Task1 : global::SessionKinds.", StringComparison.Ordinal));
    }

    private static async Task<ImmutableArray<Diagnostic>> CompileAsync(string source) => (await CompileWithOutputAsync(source)).Diagnostics;

    /// <summary>
    /// Compiles <paramref name="source"/> as a package consumer's project would (the generator, then every analyzer),
    /// and returns every warning and error, sorted by position, with the generated sources.
    /// </summary>
    private static async Task<(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<string> Generated)> CompileWithOutputAsync(string source)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText(source, parseOptions, path: "Tasks.cs")],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var driver = CSharpGeneratorDriver.Create([new SessionTaskGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generatedCompilation, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Assert.Null(driver.GetRunResult().Results.Single().Exception);

        var diagnostics = await generatedCompilation.WithAnalyzers(Analyzers).GetAllDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, d => d.Id is "AD0001");
        var problems = diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
        var generated = driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()).ToList();
        return (problems, generated);
    }

    private static ((int Line, int Column) Start, (int Line, int Column) End) Span(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("Tasks.cs", span.Path);
        return ((span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1), (span.EndLinePosition.Line + 1, span.EndLinePosition.Character + 1));
    }

    /// <summary>.NET 10 reference assemblies from a package, plus the assemblies a consumer of the adapter references; nothing is downloaded.</summary>
    private static readonly IReadOnlyList<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(SessionKind).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(AgentTask).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(AIAgent).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(IChatClient).Assembly.Location),
    ];

    /// <summary>Every analyzer the SessionKinds package ships (the generator's assembly holds them all).</summary>
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
    [
        .. typeof(SessionTaskGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];
}
