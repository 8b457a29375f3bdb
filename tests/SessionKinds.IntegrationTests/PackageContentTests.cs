using System.IO.Compression;
using System.Xml.Linq;
using SessionKinds.IntegrationTests.Infrastructure;

namespace SessionKinds.IntegrationTests;

/// <summary>What the one SessionKinds package ships, read from the real <c>.nupkg</c>.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class PackageContentTests(PackageFeed feed)
{
    [Fact]
    public void Pack_produces_exactly_one_package()
    {
        Assert.Equal([Path.GetFileName(feed.PackagePath)], Directory.GetFiles(feed.FeedFolder, "*.nupkg").Select(Path.GetFileName));
    }

    [Fact]
    public void Package_holds_the_runtime_for_both_targets_and_the_analyzers_with_what_they_load()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath);
        var files = package.Entries
            .Select(e => e.FullName)
            .Where(name => !name.StartsWith("_rels/", StringComparison.Ordinal) && !name.StartsWith("package/", StringComparison.Ordinal) && name != "[Content_Types].xml")
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "README.md",
                "SessionKinds.nuspec",
                "analyzers/dotnet/cs/Cronos.dll",
                "analyzers/dotnet/cs/SessionKinds.CodeFixes.dll",
                "analyzers/dotnet/cs/SessionKinds.Generators.dll",
                "lib/net10.0/SessionKinds.dll",
                "lib/net10.0/SessionKinds.xml",
                "lib/net8.0/SessionKinds.dll",
                "lib/net8.0/SessionKinds.xml",
            ],
            files);
    }

    [Fact]
    public void Package_depends_on_Cronos_only_and_carries_readme_license_and_repository()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath);
        using var nuspecStream = package.GetEntry("SessionKinds.nuspec")!.Open();
        var nuspec = XDocument.Load(nuspecStream);
        XNamespace ns = nuspec.Root!.GetDefaultNamespace();
        var metadata = nuspec.Root.Element(ns + "metadata")!;

        var groups = metadata.Element(ns + "dependencies")!.Elements(ns + "group").ToList();
        Assert.Equal(["net10.0", "net8.0"], groups.Select(g => (string)g.Attribute("targetFramework")!).Order(StringComparer.Ordinal));
        Assert.All(groups, group => Assert.Equal(["Cronos"], group.Elements(ns + "dependency").Select(d => (string)d.Attribute("id")!)));

        Assert.Equal("README.md", (string?)metadata.Element(ns + "readme"));
        Assert.Equal("MIT", (string?)metadata.Element(ns + "license"));
        Assert.False(string.IsNullOrEmpty((string?)metadata.Element(ns + "repository")?.Attribute("url")), "the package names its repository");
        Assert.Equal(feed.Version, (string?)metadata.Element(ns + "version"));
    }
}
