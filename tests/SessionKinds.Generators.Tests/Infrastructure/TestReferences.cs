using Microsoft.CodeAnalysis;
using SessionKinds;

namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>Hermetic references for test compilations: the .NET 10 reference assemblies shipped in a package, plus the runtime library.</summary>
internal static class TestReferences
{
    /// <summary>The SessionKinds runtime assembly the tests were built against.</summary>
    public static readonly MetadataReference SessionKindsRuntime = MetadataReference.CreateFromFile(typeof(SessionKind).Assembly.Location);

    /// <summary>.NET 10 reference assemblies plus the SessionKinds runtime; never downloads anything.</summary>
    public static readonly IReadOnlyList<MetadataReference> Net100WithRuntime =
        [.. Basic.Reference.Assemblies.Net100.References.All, SessionKindsRuntime];
}
