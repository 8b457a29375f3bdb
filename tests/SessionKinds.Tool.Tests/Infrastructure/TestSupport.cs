using System.Text;
using System.Text.Json;
using SessionKinds.Tool.Cli;

namespace SessionKinds.Tool.Tests.Infrastructure;

/// <summary>What one run of the tool printed and returned.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs the tool's entry point in-process, as the installed command would.</summary>
internal static class ToolRunner
{
    public static Task<ToolResult> RunAsync(params string[] args) => RunAsync(TimeProvider.System, args);

    public static async Task<ToolResult> RunAsync(TimeProvider time, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var exitCode = await SessionKindsCli.RunAsync(args, output, error, time, CancellationToken.None);
        return new ToolResult(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>A clock fixed at one instant.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A fresh folder under the temp folder, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sk-tool-" + Guid.NewGuid().ToString("N")[..12]);

    public TempFolder() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string SessionsPath => File("sessions.json");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Every file under a folder with its bytes (links by their target), to prove that nothing changed.</summary>
internal static class FolderSnapshot
{
    public static SortedDictionary<string, string> Take(string folder)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(path);
            var relative = System.IO.Path.GetRelativePath(folder, path);
            files[relative] = info.LinkTarget is { } target ? "-> " + target
                : Directory.Exists(path) ? "<dir>"
                : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(path)));
        }

        return files;
    }
}

/// <summary>The raw bytes of each entry value of a strict store, by key (a duplicate key: the last value).</summary>
internal static class RawEntries
{
    public static Dictionary<string, byte[]> Read(byte[] store)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(store, new JsonReaderOptions { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            result[key] = store[start..(int)reader.BytesConsumed];
        }

        return result;
    }

    public static string Text(byte[] raw) => Encoding.UTF8.GetString(raw);
}
