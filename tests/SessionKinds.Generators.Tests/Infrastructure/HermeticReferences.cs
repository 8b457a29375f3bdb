using Microsoft.CodeAnalysis.Testing;

namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>
/// Reference assemblies for Microsoft.CodeAnalysis.Testing that never touch NuGet: an empty set (no
/// reference assembly package, no packages), to which each test adds <see cref="TestReferences.Net100WithRuntime"/>.
/// </summary>
internal static class HermeticReferences
{
    /// <summary>An empty reference set; resolving it downloads nothing.</summary>
    public static readonly ReferenceAssemblies None = new("net10.0");

    /// <summary>Makes a test hermetic: no downloaded reference assemblies, .NET 10 and the runtime from local packages.</summary>
    public static void Apply(ProjectState state)
    {
        state.ReferenceAssemblies = None;
        state.AdditionalReferences.AddRange(TestReferences.Net100WithRuntime);
    }
}
