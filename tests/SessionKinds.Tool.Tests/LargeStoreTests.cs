using System.IO.Compression;
using System.Text.Json;
using SessionKinds.Testing;
using SessionKinds.Tool.Tests.Infrastructure;

namespace SessionKinds.Tool.Tests;

/// <summary>A store of the size users report (50,000 entries, about 50 MB): inspect and compact on it, byte for byte.</summary>
public class LargeStoreTests
{
    [Fact]
    public async Task Compact_on_a_50MB_store_keeps_every_kept_entry_byte_for_byte_and_its_backup_restores_the_original()
    {
        using var folder = new TempFolder();
        var entries = GatewayFolders.Create(folder.Path, 50_000);
        var original = File.ReadAllBytes(folder.SessionsPath);
        Assert.InRange(original.Length, 45_000_000, 60_000_000);
        var time = new FixedTime(GatewayFolders.End);

        var inspect = await ToolRunner.RunAsync(time, "inspect", folder.Path, "--json");
        var dryRun = await ToolRunner.RunAsync(time, "compact", folder.Path, "--dry-run");
        var compact = await ToolRunner.RunAsync(time, "compact", folder.Path);

        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using (var report = JsonDocument.Parse(inspect.Output))
        {
            Assert.Equal(entries.Count, report.RootElement.GetProperty("entries").GetInt32());
            Assert.Equal(0, report.RootElement.GetProperty("kinds").GetProperty("unknown").GetProperty("entries").GetInt32()
                - entries.Count(e => e.Role == GatewayEntryRole.Unknown));
        }

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.True(compact.ExitCode == 0, compact.ToString());
        var removed = entries.Where(e => e.Role is GatewayEntryRole.AckedHeartbeat or GatewayEntryRole.SilentCronRun).ToHashSet();
        var before = RawEntries.Read(original);
        var after = RawEntries.Read(File.ReadAllBytes(folder.SessionsPath));
        Assert.Equal(entries.Where(e => !removed.Contains(e)).Select(e => e.Key), after.Keys);
        foreach (var entry in entries.Where(e => !removed.Contains(e)))
        {
            Assert.True(before[entry.Key].AsSpan().SequenceEqual(after[entry.Key]), entry.Key);
        }

        Assert.Contains($"Removed {removed.Count:N0} entries and {removed.Count:N0} transcripts;", compact.Output, StringComparison.Ordinal);
        var backup = Assert.Single(Directory.GetFiles(folder.Path, "sessions-*.json.gz"));
        using var gzip = new GZipStream(File.OpenRead(backup), CompressionMode.Decompress);
        using var restored = new MemoryStream();
        await gzip.CopyToAsync(restored);
        Assert.True(original.AsSpan().SequenceEqual(restored.ToArray()), "the backup restores the original byte for byte");
    }
}
