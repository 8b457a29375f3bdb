namespace SessionKinds.IntegrationTests.Infrastructure;

/// <summary>A consumer project scaffolded in its own temp folder that references the packed SessionKinds package.</summary>
internal sealed class ConsumerProject
{
    private ConsumerProject(string folder, string name)
    {
        Folder = folder;
        Name = name;
    }

    public string Folder { get; }

    public string Name { get; }

    public string ProjectFile => Path.Combine(Folder, Name + ".csproj");

    /// <summary>Writes a console project for <paramref name="targetFramework"/> with the given source files.</summary>
    public static ConsumerProject Create(PackageFeed feed, string name, string targetFramework, IReadOnlyDictionary<string, string> sources, string? editorConfig = null, bool warningsAsErrors = true)
    {
        var folder = Path.Combine(feed.Root, "consumers", name + "-" + targetFramework);
        Directory.CreateDirectory(folder);
        var project = new ConsumerProject(folder, name);

        File.WriteAllText(project.ProjectFile, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>{(warningsAsErrors ? "true" : "false")}</TreatWarningsAsErrors>
                <RollForward>Major</RollForward>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SessionKinds" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);

        // The local feed is added beside the sources the machine already uses.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="sessionkinds-local" value="{feed.FeedFolder}" />
              </packageSources>
            </configuration>
            """);

        // Stop the consumer from inheriting anything from folders above it.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>");
        if (editorConfig is not null)
        {
            File.WriteAllText(Path.Combine(folder, ".editorconfig"), "root = true\n\n" + editorConfig);
        }

        foreach (var (file, text) in sources)
        {
            File.WriteAllText(Path.Combine(folder, file), text);
        }

        return project;
    }

    public Task<CliResult> BuildAsync() =>
        DotNetCli.RunAsync(Folder, "build", ProjectFile, "-c", "Release", "--disable-build-servers", "-nologo", "-clp:ForceNoAlign");

    /// <summary>Runs the built program (a net8.0 build rolls forward onto the installed runtime).</summary>
    public Task<CliResult> RunAsync(params string[] arguments) =>
        DotNetCli.RunAsync(Folder, ["run", "--project", ProjectFile, "-c", "Release", "--no-build", "--", .. arguments]);

    public string ReadSource(string file) => File.ReadAllText(Path.Combine(Folder, file));
}
