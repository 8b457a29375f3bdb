using System.Diagnostics;
using System.Text.Json;
using SessionKinds.Testing;
using SessionKinds.Tool.Tests.Infrastructure;

namespace SessionKinds.Tool.Tests;

/// <summary>
/// A compact running while another process writes through the store loses nothing: every write the writer reports is
/// on disk afterwards, including heartbeat alerts that continue sessions the compact had planned to remove.
/// </summary>
public class ConcurrentCompactTests
{
    [Fact]
    public async Task Compact_while_a_child_process_writes_through_the_store_loses_no_write()
    {
        using var folder = new TempFolder();
        var entries = GatewayFolders.Create(folder.Path, 2_000);
        var original = RawEntries.Read(File.ReadAllBytes(folder.SessionsPath));
        var acked = entries.Where(e => e.Role == GatewayEntryRole.AckedHeartbeat).ToList();
        var keysFile = folder.File("acked-keys.txt");
        File.WriteAllLines(keysFile, acked.Take(200).Select(e => e.Key));
        var stopFile = folder.File("stop");

        var reports = new List<string>();
        using var child = StartWriter(folder.Path, stopFile, keysFile, reports);
        try
        {
            await WaitForAsync(() => Count(reports) >= 30, child);

            // The writer keeps writing (it stops only when told): each compact overlaps its writes.
            var first = await ToolRunner.RunAsync("compact", folder.Path);
            await WaitForAsync(() => Count(reports) >= 90, child);
            var second = await ToolRunner.RunAsync("compact", folder.Path);
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.False(child.HasExited, "the writer was still writing when the compacts ran");
        }
        finally
        {
            File.WriteAllText(stopFile, "stop");
            await child.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
        }

        Assert.Equal(0, child.ExitCode);
        var writes = Writes(reports);
        Assert.True(writes.Count >= 90);
        var final = RawEntries.Read(File.ReadAllBytes(folder.SessionsPath));
        foreach (var (key, sessionId, tag) in writes)
        {
            Assert.True(final.TryGetValue(key, out var raw), $"{key} ({tag}) is gone");
            using var entry = JsonDocument.Parse(raw);
            Assert.Equal(sessionId, entry.RootElement.GetProperty("sessionId").GetString());
            Assert.Contains(tag, File.ReadAllText(folder.File(sessionId + ".jsonl")), StringComparison.Ordinal);
        }

        // Entries nobody touched: chats, subagents and alerts byte for byte; acked heartbeats gone with their transcripts.
        var written = writes.Select(w => w.Key).ToHashSet();
        foreach (var e in entries.Where(e => !written.Contains(e.Key)))
        {
            if (e.Role is GatewayEntryRole.AckedHeartbeat or GatewayEntryRole.SilentCronRun)
            {
                Assert.False(final.ContainsKey(e.Key), e.Key);
                Assert.False(File.Exists(folder.File(e.SessionId + ".jsonl")), e.Key);
            }
            else
            {
                Assert.True(original[e.Key].AsSpan().SequenceEqual(final[e.Key]), e.Key);
            }
        }
    }

    private static Process StartWriter(string folder, string stopFile, string keysFile, List<string> reports)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(ConcurrentCompactTests).Assembly.Location, "writer", folder, stopFile, keysFile })
        {
            start.ArgumentList.Add(argument);
        }

        var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the writer.");
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (reports)
                {
                    reports.Add(e.Data);
                }
            }
        };
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (reports)
                {
                    reports.Add("stderr: " + e.Data);
                }
            }
        };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    private static int Count(List<string> reports)
    {
        lock (reports)
        {
            return reports.Count(r => r.StartsWith("ok ", StringComparison.Ordinal));
        }
    }

    private static List<(string Key, string SessionId, string Tag)> Writes(List<string> reports)
    {
        lock (reports)
        {
            Assert.DoesNotContain(reports, r => r.StartsWith("stderr:", StringComparison.Ordinal));
            return reports.Where(r => r.StartsWith("ok ", StringComparison.Ordinal)).Select(r => r.Split(' ')).Select(p => (p[1], p[2], p[3])).ToList();
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, Process child)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (!condition())
        {
            Assert.False(child.HasExited, "the writer stopped early");
            await Task.Delay(20, timeout.Token);
        }
    }
}
