using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>
/// User sources plus the generator's output, compiled with warnings as errors and loaded into a collectible
/// load context that shares the SessionKinds runtime with the tests. Static methods of its types are called by name.
/// </summary>
internal sealed class CompiledAgent
{
    private readonly Assembly _assembly;

    private CompiledAgent(Assembly assembly, GeneratorOutput output)
    {
        _assembly = assembly;
        Output = output;
    }

    public GeneratorOutput Output { get; }

    public static CompiledAgent Build(params string[] sources)
    {
        var output = GeneratorHarness.Run(sources);
        GeneratorHarness.AssertClean(output.Compilation);

        // Checked above: any CS1591 left is in the test's own (undocumented) sources, not in generated files.
        var compilation = output.Compilation.WithOptions(output.Compilation.Options.WithSpecificDiagnosticOptions(
            [KeyValuePair.Create("CS1591", ReportDiagnostic.Suppress)]));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;

        // The runtime assembly resolves from the default context, so its types are the tests' types.
        var context = new AssemblyLoadContext("SessionKinds.GeneratorTests." + Guid.NewGuid().ToString("N"), isCollectible: true);
        return new CompiledAgent(context.LoadFromStream(image), output);
    }

    public Type Type(string fullName) => _assembly.GetType(fullName, throwOnError: true)!;

    /// <summary>Calls a public static method and, if it returns a task, awaits it.</summary>
    public async Task<object?> CallAsync(string typeName, string method, params object?[] arguments)
    {
        var result = Type(typeName).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);
        switch (result)
        {
            case Task task:
                await task;
                return task.GetType().GetProperty("Result")?.GetValue(task);
            default:
                return result;
        }
    }
}
