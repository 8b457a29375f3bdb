namespace SessionKinds.Tests.Infrastructure;

/// <summary>A fresh folder under the system temp folder: <see cref="Root"/> holds <see cref="AgentFolder"/>, so tests can check nothing escapes it.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "sessionkinds-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        AgentFolder = Path.Combine(Root, "agent");
    }

    /// <summary>The test's own root folder.</summary>
    public string Root { get; }

    /// <summary>The agent folder (created by the store).</summary>
    public string AgentFolder { get; }

    public string File(string name) => Path.Combine(AgentFolder, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
