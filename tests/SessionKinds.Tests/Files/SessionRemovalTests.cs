using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace SessionKinds.Tests.Files;

/// <summary>
/// <see cref="FileSessionStore.RemoveSessionsAsync"/>: backup first, the other entries byte for byte, transcripts of the
/// removed sessions deleted, and an entry changed since it was read left alone.
/// </summary>
public sealed class SessionRemovalTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sk-remove-" + Guid.NewGuid().ToString("N")[..12]);

    public SessionRemovalTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string SessionsPath => Path.Combine(_folder, "sessions.json");

    private static string Id(int n) => $"00000000-0000-4000-8000-{n:D12}";

    private void WriteStore(string text) => File.WriteAllText(SessionsPath, text);

    private string Store3 => $$"""
        {
          "agent:main:main": {
            "sessionId": "{{Id(1)}}",
            "updatedAt": 1770650000000,
            "origin": { "provider": "telegram" }
          },
          "agent:main:main:heartbeat": {
            "sessionId": "{{Id(2)}}",
            "updatedAt": 1770650100000
          },
          "agent:main:cron:brief:run:r1": {
            "sessionId": "{{Id(3)}}",
            "updatedAt": 1770650200000
          }
        }
        """;

    [Fact]
    public async Task Removes_the_entries_and_transcripts_after_a_backup_that_restores_the_store_byte_for_byte()
    {
        WriteStore(Store3);
        var before = File.ReadAllBytes(SessionsPath);
        foreach (var n in new[] { 1, 2, 3 })
        {
            File.WriteAllText(Path.Combine(_folder, Id(n) + ".jsonl"), "{\"type\":\"session\"}\n");
        }

        await using var store = new FileSessionStore(_folder);
        var sessions = await store.ReadSessionsAsync();

        var result = await store.RemoveSessionsAsync(sessions.Where(s => s.Key != "agent:main:main"));

        Assert.Equal(["agent:main:main:heartbeat", "agent:main:cron:brief:run:r1"], result.RemovedKeys);
        Assert.Empty(result.SkippedKeys);
        Assert.Equal([Path.Combine(_folder, Id(2) + ".jsonl"), Path.Combine(_folder, Id(3) + ".jsonl")], result.DeletedTranscripts);
        Assert.True(File.Exists(Path.Combine(_folder, Id(1) + ".jsonl")));
        Assert.Equal(before.Length, result.BytesBefore);
        Assert.Equal(new FileInfo(SessionsPath).Length, result.BytesAfter);

        var left = Assert.Single(await store.ReadSessionsAsync());
        Assert.Equal(sessions[0].Json, left.Json);

        Assert.NotNull(result.BackupPath);
        Assert.Matches(@"sessions-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json\.gz$", result.BackupPath);
        await using var gzip = new GZipStream(File.OpenRead(result.BackupPath!), CompressionMode.Decompress);
        using var restored = new MemoryStream();
        await gzip.CopyToAsync(restored);
        Assert.Equal(before, restored.ToArray());
    }

    [Fact]
    public async Task An_entry_changed_since_it_was_read_is_left_alone()
    {
        WriteStore(Store3);
        await using var store = new FileSessionStore(_folder);
        var sessions = await store.ReadSessionsAsync();

        // A writer continues the heartbeat session after the caller read it.
        await store.CompleteAsync(store.StartSession(SessionKind.Heartbeat, "agent:main:main:heartbeat", "anything?"), "The disk is 95% full.");

        var result = await store.RemoveSessionsAsync([sessions[1]]);

        Assert.Empty(result.RemovedKeys);
        Assert.Equal(["agent:main:main:heartbeat"], result.SkippedKeys);
        Assert.Null(result.BackupPath);
        Assert.Equal(3, (await store.ReadSessionsAsync()).Count);
        Assert.Empty(store.ListArchives());
    }

    [Fact]
    public async Task A_transcript_another_entry_refers_to_is_kept()
    {
        WriteStore($$"""
            {"a": {"sessionId": "{{Id(7)}}", "updatedAt": 1}, "b": {"sessionId": "{{Id(7)}}", "updatedAt": 2} }
            """);
        var transcript = Path.Combine(_folder, Id(7) + ".jsonl");
        File.WriteAllText(transcript, "{}\n");
        await using var store = new FileSessionStore(_folder);

        var result = await store.RemoveSessionsAsync([(await store.ReadSessionsAsync())[0]]);

        Assert.Equal(["a"], result.RemovedKeys);
        Assert.Empty(result.DeletedTranscripts);
        Assert.True(File.Exists(transcript));
    }

    [Fact]
    public async Task A_lenient_store_is_rewritten_strict_and_its_backup_keeps_the_comments()
    {
        var text = $$"""
            {
              // hand edited
              "keep": {"sessionId": "{{Id(1)}}", "updatedAt": 1, /* note */},
              "drop": {"sessionId": "{{Id(2)}}", "updatedAt": 2},
            }
            """;
        WriteStore(text);
        await using var store = new FileSessionStore(_folder);

        var result = await store.RemoveSessionsAsync([(await store.ReadSessionsAsync())[1]]);

        using var strict = JsonDocument.Parse(File.ReadAllBytes(SessionsPath));
        Assert.Equal(["keep"], strict.RootElement.EnumerateObject().Select(p => p.Name));
        await using var gzip = new GZipStream(File.OpenRead(result.BackupPath!), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        Assert.Equal(text, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task A_store_that_does_not_parse_is_left_in_place_and_nothing_is_written()
    {
        const string truncated = "{\"a\": {\"sessionId\": \"00000000-0000-4000-8000-000000000001\"";
        WriteStore(truncated);
        await using var store = new FileSessionStore(_folder);
        var entry = SessionEntry.Parse("a", "{}"u8.ToArray());

        var ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.RemoveSessionsAsync([entry]));

        Assert.Equal(SessionsPath, ex.Location);
        Assert.Contains("left as it is", ex.Message, StringComparison.Ordinal);
        Assert.Equal(truncated, File.ReadAllText(SessionsPath));
        Assert.Empty(Directory.GetFiles(_folder, "*.corrupt-*"));
        Assert.Empty(store.ListArchives());
    }

    [Fact]
    public async Task A_symlinked_store_is_refused()
    {
        var elsewhere = Path.Combine(_folder, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        var target = Path.Combine(elsewhere, "real.json");
        File.WriteAllText(target, Store3);
        File.CreateSymbolicLink(SessionsPath, target);
        await using var store = new FileSessionStore(_folder);
        var sessions = await store.ReadSessionsAsync();

        var ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.RemoveSessionsAsync(sessions));

        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Store3, File.ReadAllText(target));
        Assert.NotNull(new FileInfo(SessionsPath).LinkTarget);
    }
}
