using System.Text;
using System.Text.Json;
using SessionKinds.Persistence.Files;
using SessionKinds.Persistence.Files.Locking;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;
using SessionKinds.Engines;

namespace SessionKinds.Tests.Files;

/// <summary>
/// How a completion lands in a folder: staged temp files, a commit record in the lock file, renames. A writer killed at
/// any step leaves either all of the completion or none of it once the next lock holder has recovered: a
/// <c>prepared</c> record is undone (the transcript cut back), a <c>committed</c> one finished (the remaining renames).
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class CommitRecoveryTests
{
    public static TheoryData<string> StepsAnAlertReaches => new() { "sessions.json", "heartbeat-state.json", "heartbeat-ring*.json", "<sessionId>.jsonl" };

    [Theory]
    [MemberData(nameof(StepsAnAlertReaches))]
    public async Task A_writer_SIGKILLed_at_any_step_of_a_commit_leaves_nothing_of_it_after_recovery(string step)
    {
        await using var f = FolderUnderTest.Create();
        await f.RunAsync(SessionKind.User, "agent:main:main", "hello");
        await f.RunAsync(SessionKind.User, "agent:main:ledger", "an existing session the alert continues");
        await f.Store.DisposeAsync();
        var before = DataFiles(f.Folder);

        using var child = RunningWriter.Start(WriterChild.Arguments("die-at", f.Agent, step, "agent:main:ledger"));
        var exit = await child.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(!OperatingSystem.IsLinux() || exit.ExitCode == 137, $"the child did not die by SIGKILL at {step}: {exit.ExitCode} {exit.Error}");
        var sessionId = Assert.Single(exit.Lines)["begin ".Length..];

        // What the kill left: temp files, and at the transcript step a prepared record (the append may have happened).
        var left = FolderAudit.Inspect(f.Folder, readTranscripts: false);
        Assert.NotEmpty(left.TempFiles);
        var record = ReadCommitRecord(f.Folder);
        Assert.Equal(step == "<sessionId>.jsonl" ? "prepared" : null, record?.RootElement.GetProperty("state").GetString());

        // A new store recovers: the folder is exactly as before the commit, and the lock record is clear.
        await using var store = f.Open();
        Assert.Equal(before, DataFiles(f.Folder));
        Assert.Null(ReadCommitRecord(f.Folder));
        Assert.Empty(FolderAudit.Inspect(f.Folder).Problems);
        Assert.Null(await store.ReadTranscriptAsync(sessionId));

        // And the next completion works.
        var outcome = await store.CompleteAsync(store.StartSession<InboxCheck>("agent:main:ledger", "prompt"), "After the crash");
        Assert.Equal(["prompt", "an existing session the alert continues", "prompt", "After the crash"], (await store.ReadTranscriptAsync(outcome.SessionId))!.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task A_prepared_commit_whose_transcript_append_landed_is_cut_back_by_the_next_lock_holder()
    {
        await using var f = FolderUnderTest.Create();
        var first = await f.RunAsync(SessionKind.User, "agent:main:main", "hello");
        var transcript = f.Store.TranscriptPath(first.SessionId);
        var before = DataFiles(f.Folder);

        // Everything a commit does up to its commit point, then the lock is dropped as by a killed process.
        using (var held = await new FolderLock(f.Folder, TimeSpan.FromSeconds(60)).AcquireAsync(CancellationToken.None))
        {
            var commit = new FolderCommit(f.Folder, held);
            commit.Replace(f.SessionsPath, "{\"half\": \"applied\"}"u8.ToArray());
            var write = new SessionWrite("agent:main:main", SessionKind.User, first.SessionId, Clock.Start, Clock.Start, [Encoding.UTF8.GetBytes("{\"type\":\"message\",\"role\":\"user\",\"content\":\"lost\",\"ts\":1}")]);
            commit.AppendTranscript(transcript, TranscriptFile.Prepare(transcript, write, first.SessionId));
        }

        Assert.Contains("\"content\":\"lost\"", File.ReadAllText(transcript), StringComparison.Ordinal);
        Assert.Equal("prepared", ReadCommitRecord(f.Folder)!.RootElement.GetProperty("state").GetString());

        // The next writer recovers before its own commit: the append is undone, the staged file never lands.
        await f.RunAsync(SessionKind.User, "agent:main:other", "next");
        Assert.Equal(before[first.SessionId + ".jsonl"], File.ReadAllBytes(transcript));
        Assert.DoesNotContain("half", File.ReadAllText(f.SessionsPath), StringComparison.Ordinal);
        Assert.Null(ReadCommitRecord(f.Folder));
        Assert.Equal(["prompt", "hello"], (await f.Store.ReadTranscriptAsync(first.SessionId))!.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task A_committed_commit_whose_renames_did_not_all_happen_is_finished_by_the_next_lock_holder()
    {
        await using var f = FolderUnderTest.Create();
        await f.RunAsync<InboxCheck>("agent:main:hb", "Disk 97% full");
        var handle = f.Store.StartSession<InboxCheck>("agent:main:hb");
        f.Time.Advance(TimeSpan.FromMinutes(1));

        // The ring cannot be renamed into place after the commit point (a directory took its name meanwhile).
        DurableFile.BeforeReplace.Value = path =>
        {
            if (path == f.RingPath)
            {
                File.Delete(path);
                Directory.CreateDirectory(Path.Combine(path, "blocker"));
            }
        };
        SessionStoreCommitUnconfirmedException ex;
        try
        {
            ex = await Assert.ThrowsAsync<SessionStoreCommitUnconfirmedException>(async () => await f.Store.CompleteAsync(handle, "Disk 99% full"));
        }
        finally
        {
            DurableFile.BeforeReplace.Value = null;
        }

        Assert.Equal(f.RingPath, ex.Location);
        Assert.Contains("the next write to this folder finishes it", ex.Message, StringComparison.Ordinal);
        Assert.Equal("committed", ReadCommitRecord(f.Folder)!.RootElement.GetProperty("state").GetString());

        // The completion has landed (it only waits to be finished): completing the handle again must not write it twice.
        Assert.True(handle.IsCompleted);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await f.Store.CompleteAsync(handle, "Disk 99% full"));

        // The obstruction goes; a new store opening the folder finishes the commit: the ring gets its entry.
        Directory.Delete(f.RingPath, recursive: true);
        await using var next = f.Open();
        Assert.Null(ReadCommitRecord(f.Folder));
        Assert.Equal(["Disk 97% full", "Disk 99% full"], (await next.ReadHeartbeatRingAsync()).Entries.Select(e => e.Summary));
        Assert.Equal(f.Time.GetUtcNow(), (await next.ReadHeartbeatStateAsync()).LastAlert);
        var sessionId = (await next.FindSessionAsync("agent:main:hb"))!.SessionId!;
        Assert.Equal(["prompt", "Disk 97% full", "Disk 99% full"], (await next.ReadTranscriptAsync(sessionId))!.Messages.Select(m => m.Content));
        Assert.Empty(FolderAudit.Inspect(f.Folder).Problems);
    }

    [Theory]
    [InlineData("""{"state":"committed","renames":[["../../outside.sktmp","sessions.json",false],[".x.sktmp","/etc/passwd",false],[".y.sktmp","../../victim",false]]}""")]
    [InlineData("""{"state":"prepared","undo":{"file":"../outside.jsonl","length":0,"appended":5}}""")]
    [InlineData("""{"state":"prepared","undo":{"file":"sessions.json","length":-1,"appended":5}}""")]
    [InlineData("""{"state":"committ""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""{"state":"unknown","renames":"x"}""")]
    [InlineData("""{"state":"prepared","undo":"x"}""")]
    [InlineData("""{"state":"prepared","undo":{"file":"a.jsonl","length":"x","appended":1}}""")]
    [InlineData("""{"state":"committed","renames":[[1,2,3],["a","b"],"c"]}""")]
    public async Task A_tampered_or_torn_commit_record_touches_nothing_and_is_cleared(string record)
    {
        await using var f = FolderUnderTest.Create();
        await f.RunAsync(SessionKind.User, "agent:main:main", "hello");
        Directory.CreateDirectory(Path.Combine(f.Temp.Root, "outside"));
        File.WriteAllText(Path.Combine(f.Temp.Root, "outside.jsonl"), "outside");
        File.WriteAllText(Path.Combine(f.Temp.Root, "victim"), "victim");
        var before = FolderSnapshot.Take(f.Temp.Root).Files.Where(p => !p.Key.Contains(".sessionkinds.lock", StringComparison.Ordinal)).ToList();
        using (var held = await new FolderLock(f.Folder, TimeSpan.FromSeconds(60)).AcquireAsync(CancellationToken.None))
        {
            held.WriteCommitRecord(Encoding.UTF8.GetBytes(record));
        }

        await using var next = f.Open();

        Assert.Null(ReadCommitRecord(f.Folder));
        Assert.Equal(before, FolderSnapshot.Take(f.Temp.Root).Files.Where(p => !p.Key.Contains(".sessionkinds.lock", StringComparison.Ordinal)));
        Assert.Single(await next.ReadSessionsAsync());
    }

    /// <summary>The folder's commit record, or <see langword="null"/> when it is clear; takes the lock to read it.</summary>
    private static JsonDocument? ReadCommitRecord(string folder)
    {
        using var held = new FolderLock(folder, TimeSpan.Zero).TryAcquireNow() ?? throw new InvalidOperationException("the lock is held");
        var record = held.CommitRecordAtAcquire;
        return record.IsEmpty ? null : JsonDocument.Parse(record);
    }

    /// <summary>The folder's files other than the lock files and temp files, with their bytes.</summary>
    private static SortedDictionary<string, byte[]> DataFiles(string folder) =>
        new(FolderSnapshot.Take(folder).Files.Where(p => !FileStoreAgent.LockFiles.Contains(p.Key) && !p.Key.EndsWith(".sktmp", StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);
}
