using Microsoft.CodeAnalysis;
using SessionKinds.Generators.Tests.Infrastructure;

namespace SessionKinds.Generators.Tests.Analyzers;

/// <summary>The analyzer and code fix tests never download reference assemblies.</summary>
public sealed class HermeticTests
{
    [Fact]
    public void The_reference_set_names_no_package()
    {
        Assert.Null(HermeticReferences.None.ReferenceAssemblyPackage);
        Assert.Empty(HermeticReferences.None.Packages);
        Assert.Empty(HermeticReferences.None.Assemblies);
    }

    [Fact]
    public async Task Resolving_the_reference_set_needs_no_package_source()
    {
        // A NuGet configuration whose only source does not exist: any attempt to restore would fail.
        var folder = Directory.CreateTempSubdirectory("sessionkinds-hermetic-");
        try
        {
            var config = Path.Combine(folder.FullName, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="nowhere" value="{Path.Combine(folder.FullName, "no-such-feed")}" />
                  </packageSources>
                </configuration>
                """);
            var references = await HermeticReferences.None.WithNuGetConfigFilePath(config).ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
            Assert.Empty(references);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Test_compilations_get_dotnet_10_and_the_runtime_from_local_files()
    {
        Assert.Contains(TestReferences.Net100WithRuntime, r => r.Display == "System.Runtime (net100)");
        Assert.Contains(TestReferences.Net100WithRuntime, r => ReferenceEquals(r, TestReferences.SessionKindsRuntime));
        Assert.True(File.Exists(((PortableExecutableReference)TestReferences.SessionKindsRuntime).FilePath));
    }
}
