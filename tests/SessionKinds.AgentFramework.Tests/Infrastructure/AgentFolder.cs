using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace SessionKinds.AgentFramework.Tests.Infrastructure;

/// <summary>A temporary agent folder with a <see cref="FileSessionStore"/> on a fake clock; deleted on dispose.</summary>
internal sealed class AgentFolder : IAsyncDisposable
{
    /// <summary>Monday 5 January 2026, 07:00 UTC: the clock every test starts at.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 7, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<string> LockFiles = new(StringComparer.Ordinal) { ".sessionkinds.lock", ".sessionkinds.lock.owner" };

    public AgentFolder()
    {
        Path = Directory.CreateTempSubdirectory("sessionkinds-af-").FullName;
        Store = Open();
    }

    public string Path { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public FileSessionStore Store { get; private set; }

    /// <summary>Closes the store and opens a new one on the same folder, as a restarted process would.</summary>
    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = Open();
    }

    /// <summary>The files the store wrote, by name, sorted (the folder lock's files excluded).</summary>
    public IReadOnlyList<string> DataFiles() =>
        [.. Directory.EnumerateFiles(Path).Select(System.IO.Path.GetFileName).OfType<string>().Where(n => !LockFiles.Contains(n)).Order(StringComparer.Ordinal)];

    /// <summary>The transcript file of <paramref name="sessionId"/>, line by line.</summary>
    public IReadOnlyList<string> TranscriptLines(string sessionId) =>
        File.ReadAllText(Store.TranscriptPath(sessionId), Encoding.UTF8).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(Path, recursive: true);
    }

    private FileSessionStore Open() => new(Path, new FileSessionStoreOptions { Time = Time });
}
