using System.Reflection;
using Microsoft.CodeAnalysis;
using SessionKinds.Generators.Generation.Model;
using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.Generation;

/// <summary>
/// No step of the pipeline holds a <c>Compilation</c>, symbol, syntax node or location: such a value keeps a
/// whole compilation alive between runs and is never equal across runs, so nothing downstream would cache.
/// </summary>
public sealed class ModelPurityTests
{
    private static readonly string[] Sources =
    [
        "namespace MyApp; public static partial class Outer { [SessionKinds.HeartbeatSession(RingSize = 20)] public partial class InboxCheck : SessionKinds.IAgentTask { " + TaskSources.Body + " } }",
        "namespace MyApp; [SessionKinds.CronSession(\"0 7 * * *\")] public partial record MorningBrief : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
        "[SessionKinds.UserSession] public partial class ChatTurn : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
        "namespace MyApp.Agents { [SessionKinds.SubagentSession] public partial class Research : SessionKinds.IAgentTask { " + TaskSources.Body + " } }",
        "namespace MyApp; [SessionKinds.HeartbeatSession(RingSize = 0)] public partial class Skipped : SessionKinds.IAgentTask { " + TaskSources.Body + " }",
    ];

    [Fact]
    public void No_tracked_step_output_holds_a_compilation_symbol_syntax_node_or_location()
    {
        var run = IncrementalRun.Of(GeneratorHarness.CreateCompilation(Sources), IncrementalRun.Add("Source9.cs", "namespace Other; public class Unrelated { }"));

        var outputs = 0;
        foreach (var result in new[] { run.First, run.Second })
        {
            foreach (var name in IncrementalRun.AllTrackingNames)
            {
                var steps = result.TrackedSteps[name];
                for (var i = 0; i < steps.Length; i++)
                {
                    foreach (var (value, _) in steps[i].Outputs)
                    {
                        outputs++;
                        var found = ForbiddenModelContent.Find(value, $"{name}[{i}]");
                        Assert.True(found.Count == 0, "Forbidden objects in the pipeline:\n" + string.Join("\n", found));
                    }
                }
            }
        }

        // Four tracked steps, two runs: the transforms report one output per attributed class (the skipped one
        // included), the later steps one per completed task, the registry one.
        Assert.True(outputs >= 26, $"only {outputs} outputs walked");
    }

    [Fact]
    public void Model_types_hold_only_strings_numbers_enums_and_equatable_arrays()
    {
        var allowed = new List<string>();
        foreach (var model in new[] { typeof(SessionTaskSpec), typeof(ContainingTypeSpec), typeof(HeartbeatSpec), typeof(HeartbeatScheduleSpec), typeof(FactorySpec), typeof(FactoryParameterSpec), typeof(RegistryEntrySpec), typeof(RegistrySpec) })
        {
            Assert.True(model.IsValueType, $"{model.Name} is a record struct");
            Assert.True(typeof(IEquatable<>).MakeGenericType(model).IsAssignableFrom(model), $"{model.Name} is equatable");
            foreach (var field in model.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Assert.True(IsAllowed(field.FieldType), $"{model.Name}.{field.Name} is a {field.FieldType}");
                allowed.Add(field.Name);
            }
        }

        Assert.True(allowed.Count >= 15, "the models' fields were found");
    }

    [Fact]
    public void The_check_finds_a_symbol_a_step_holds()
    {
        // A deliberately bad pipeline: its model keeps the class symbol. The same walk must report it.
        var compilation = GeneratorHarness.CreateCompilation(Sources);
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
            [new LeakyGenerator().AsSourceGenerator()],
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var found = result.TrackedSteps["Leaky"].SelectMany(step => step.Outputs).SelectMany(output => ForbiddenModelContent.Find(output.Value, "Leaky")).ToList();

        Assert.Contains(found, path => path.StartsWith("Leaky.Item2.Symbol:", StringComparison.Ordinal));
        Assert.Contains(found, path => path.StartsWith("Leaky.Item1[0]:", StringComparison.Ordinal));
    }

    private static bool IsAllowed(Type type)
    {
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum)
        {
            return true;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return IsAllowed(underlying);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            return IsAllowed(type.GetGenericArguments()[0]);
        }

        // Another record struct of the model: check its fields.
        return type.IsValueType
            && type.Namespace == typeof(SessionTaskSpec).Namespace
            && type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).All(field => IsAllowed(field.FieldType));
    }

    private sealed class LeakyGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var leaky = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "SessionKinds.HeartbeatSessionAttribute",
                    static (_, _) => true,
                    static (target, _) => (Locations: target.TargetSymbol.Locations, Holder: new Holder(target.TargetSymbol)))
                .Select(static (pair, _) => (pair.Locations.ToArray(), pair.Holder))
                .WithTrackingName("Leaky");
            context.RegisterSourceOutput(leaky, static (_, _) => { });
        }
    }

    private sealed record Holder(ISymbol Symbol);
}
