using Spectre.Console;
using SessionKinds.Tool.Cli;
using SessionKinds.Tool.Store;

namespace SessionKinds.Tool.Compact;

/// <summary>Options of <c>sessionkinds compact</c>.</summary>
internal sealed record CompactOptions(string Path, bool DryRun, TimeSpan? Keep, int AckMaxChars, TimeSpan LockStale);

/// <summary>
/// <c>sessionkinds compact</c>: reads the store (refusing what it cannot read, duplicate keys and a fresh gateway lock),
/// plans (<see cref="CompactPlan"/>), prints the plan, and unless <c>--dry-run</c> removes the planned entries through
/// <see cref="FileSessionStore.RemoveSessionsAsync"/>: the store's folder lock, a <c>.json.gz</c> backup first, every
/// other entry byte for byte, an entry changed meanwhile left alone.
/// </summary>
internal static class CompactCommand
{
    /// <summary>How many kept-with-a-note entries are listed by key; the rest are counted.</summary>
    public const int ListedNotes = 10;

    public static async Task<int> RunAsync(CompactOptions options, IAnsiConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        var location = StoreLocation.Resolve(options.Path);
        location.RequireSessionsFileName();
        var scan = StoreScan.Read(location.SessionsPath);
        if (scan.Duplicates.Count > 0)
        {
            var first = scan.Duplicates[0];
            throw new InputException(
                $"{location.SessionsPath} line {first.Lines[^1]}: the key \"{first.Key}\" appears {first.Lines.Count} times (lines {string.Join(", ", first.Lines)})" +
                (scan.Duplicates.Count > 1 ? $", and {scan.Duplicates.Count - 1} more key(s) appear more than once" : string.Empty) +
                ". The gateway kept the last value, and a rewrite would silently drop the others, so nothing was changed. " +
                "Delete the values you do not want (sessionkinds inspect lists every duplicate), then run compact again.");
        }

        var staleNote = GatewayLock.Check(location, options.LockStale, time);
        var plan = await PlanAsync(console, scan, location, options, time).ConfigureAwait(false);
        WritePlan(console, location, scan, plan, options);
        if (staleNote is not null)
        {
            console.WriteLine(staleNote);
        }

        var removed = plan.Removed.ToList();
        if (options.DryRun)
        {
            console.WriteLine("Dry run: nothing was changed. Run without --dry-run to compact; a sessions-<timestamp>.json.gz backup of the whole store is written first.");
            return 0;
        }

        if (removed.Count == 0)
        {
            console.WriteLine("Nothing to remove; nothing was changed.");
            return 0;
        }

        SessionRemoval result;
        using (GatewayLock.Acquire(location, options.LockStale, time))
        {
            result = await RemoveAsync(location, scan, removed, time, cancellationToken).ConfigureAwait(false);
        }

        WriteResult(console, result, removed.Count);
        return 0;
    }

    private static Task<CompactPlan> PlanAsync(IAnsiConsole console, StoreScan scan, StoreLocation location, CompactOptions options, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (!console.Profile.Capabilities.Interactive)
        {
            return Task.FromResult(CompactPlan.Create(scan, location.Folder, options.AckMaxChars, options.Keep, now));
        }

        return console.Progress().AutoClear(true).StartAsync(context =>
        {
            var task = context.AddTask("reading transcripts", maxValue: 1.0);
            var plan = CompactPlan.Create(scan, location.Folder, options.AckMaxChars, options.Keep, now, new Progress<double>(v => task.Value = v));
            task.Value = 1.0;
            return Task.FromResult(plan);
        });
    }

    /// <summary>
    /// Hands the planned entries to the store as they are stored: the store removes each only while it is still exactly that
    /// (under its lock), so an entry a writer changed after the plan was made is kept. From a strict JSON file an entry is
    /// stored exactly as the scan read it; from a file with comments or trailing commas the store's own reading (which
    /// leaves them out) supplies the entries, matched to the plan by session id and <c>updatedAt</c>.
    /// </summary>
    private static async Task<SessionRemoval> RemoveAsync(StoreLocation location, StoreScan scan, List<PlannedEntry> removed, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await using var store = new FileSessionStore(location.Folder, new FileSessionStoreOptions { Time = time });
            IEnumerable<SessionEntry> entries;
            if (scan.IsStrict())
            {
                entries = removed.Select(p => SessionEntry.Parse(p.Entry.Key, scan.Bytes.AsMemory(scan.Offset + p.Entry.Start, p.Entry.Length)));
            }
            else
            {
                var planned = removed.ToDictionary(p => p.Entry.Key, p => p.Entry, StringComparer.Ordinal);
                var current = await store.ReadSessionsAsync(cancellationToken).ConfigureAwait(false);
                entries = current.Where(e => planned.TryGetValue(e.Key, out var p) && p.SessionId == e.SessionId && p.UpdatedAt == e.UpdatedAt?.ToUnixTimeMilliseconds()).ToList();
            }

            return await store.RemoveSessionsAsync(entries, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreException ex)
        {
            throw new InputException(ex.Message);
        }
    }

    private static void WritePlan(IAnsiConsole console, StoreLocation location, StoreScan scan, CompactPlan plan, CompactOptions options)
    {
        console.Write(new Text($"{(options.DryRun ? "Plan" : "Compacting")} {location.SessionsPath}: {Units.Count(scan.Bytes.LongLength)} bytes ({Units.Size(scan.Bytes.LongLength)}), {Units.Count(scan.Entries.Count)} entries"));
        console.WriteLine();
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("action");
        table.AddColumn("why");
        table.AddColumn(new TableColumn("entries").RightAligned());
        table.AddColumn(new TableColumn("bytes").RightAligned());
        table.AddColumn(new TableColumn("transcripts").RightAligned());
        table.AddColumn(new TableColumn("transcript bytes").RightAligned());
        foreach (var group in plan.Entries.GroupBy(e => e.Reason).OrderBy(g => g.Key))
        {
            var transcripts = group.Where(e => e.Remove).Select(e => e.Transcript).OfType<string>().Select(p => new FileInfo(p)).Where(f => f.Exists).ToList();
            table.AddRow(
                group.First().Remove ? "remove" : "keep",
                Why(group.Key, options),
                Units.Count(group.Count()),
                Units.Size(group.Sum(e => (long)e.Entry.Length)),
                group.First().Remove ? Units.Count(transcripts.Count) : "-",
                group.First().Remove ? Units.Size(transcripts.Sum(f => f.Length)) : "-");
        }

        console.Write(table);
        var removedBytes = plan.Removed.Sum(e => (long)e.Entry.Length + System.Text.Encoding.UTF8.GetByteCount(e.Entry.Key) + 8);
        var after = Math.Max(2, scan.Bytes.LongLength - removedBytes);
        console.WriteLine($"sessions.json after: about {Units.Count(after)} bytes ({Units.Size(after)}), {Units.Percent(scan.Bytes.LongLength - after, scan.Bytes.LongLength)} smaller");

        var notes = plan.Entries.Where(e => e.Note is not null).ToList();
        if (notes.Count > 0)
        {
            console.WriteLine($"Kept {Units.Count(notes.Count)} entr{(notes.Count == 1 ? "y" : "ies")} that compact could not judge{(notes.Count > ListedNotes ? $" (the first {ListedNotes})" : string.Empty)}:");
            foreach (var note in notes.Take(ListedNotes))
            {
                console.Write(new Text($"  {note.Entry.Key} (line {note.Entry.Line}): {note.Note}"));
                console.WriteLine();
            }
        }
    }

    private static string Why(PlanReason reason, CompactOptions options) => reason switch
    {
        PlanReason.AckedHeartbeat => "heartbeat, acknowledged",
        PlanReason.SilentCronRun => "cron run, silent",
        PlanReason.OldCronRun => $"cron run, older than {Durations.Format(options.Keep!.Value)}",
        PlanReason.HeartbeatAlert => "heartbeat, alert",
        PlanReason.CronRunOutput => "cron run, output",
        PlanReason.CronJob => "cron job",
        PlanReason.Unreadable => "no readable transcript",
        PlanReason.User => "user",
        PlanReason.Subagent => "subagent",
        _ => "unknown kind",
    };

    private static void WriteResult(IAnsiConsole console, SessionRemoval result, int planned)
    {
        console.Write(new Text($"Backup: {result.BackupPath}"));
        console.WriteLine();
        console.WriteLine(
            $"Removed {Units.Count(result.RemovedKeys.Count)} entries and {Units.Count(result.DeletedTranscripts.Count)} transcripts; " +
            $"sessions.json {Units.Count(result.BytesBefore)} → {Units.Count(result.BytesAfter)} bytes ({Units.Size(result.BytesBefore)} → {Units.Size(result.BytesAfter)}).");
        if (planned > result.RemovedKeys.Count)
        {
            console.WriteLine($"Kept {Units.Count(planned - result.RemovedKeys.Count)} planned entries that a writer changed while compact ran (run compact again to judge them anew).");
        }

        if (result.TranscriptsLeft.Count > 0)
        {
            console.WriteLine($"{Units.Count(result.TranscriptsLeft.Count)} transcripts of removed entries could not be deleted; no entry refers to them, delete them by hand, e.g. {result.TranscriptsLeft[0]}");
        }

        console.WriteLine("To undo, decompress the backup over sessions.json (e.g. gunzip -c <backup> > sessions.json) while the gateway is stopped.");
    }
}
