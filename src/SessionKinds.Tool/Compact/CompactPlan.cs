using SessionKinds.Tool.Store;

namespace SessionKinds.Tool.Compact;

/// <summary>Why an entry is removed or kept.</summary>
internal enum PlanReason
{
    AckedHeartbeat,
    SilentCronRun,
    OldCronRun,
    HeartbeatAlert,
    CronRunOutput,
    CronJob,
    Unreadable,
    User,
    Subagent,
    Unknown,
}

/// <summary>The decision for one entry; <see cref="Note"/> says why an entry that might have gone was kept.</summary>
internal sealed record PlannedEntry(ScannedEntry Entry, EntryKind Kind, PlanReason Reason, string? Transcript, string? Note)
{
    public bool Remove => Reason is PlanReason.AckedHeartbeat or PlanReason.SilentCronRun or PlanReason.OldCronRun;
}

/// <summary>
/// What compact removes: only what the routing table would never have kept. A heartbeat entry whose transcript's last
/// assistant message is an ack (<see cref="SessionRoutes.Heartbeat"/>); a cron run entry (<c>…cron:&lt;job&gt;:run:&lt;id&gt;</c>)
/// whose last assistant message is silent (<see cref="SessionRoutes.Cron"/>), or, with <c>--keep</c>, whose <c>updatedAt</c>
/// is older than that. An entry whose transcript is missing or unreadable is kept (and said so), unless it is a cron run
/// older than <c>--keep</c>. User, subagent, unknown entries, heartbeat alerts, cron output and cron job entries are kept.
/// </summary>
internal sealed class CompactPlan
{
    private CompactPlan(IReadOnlyList<PlannedEntry> entries) => Entries = entries;

    public IReadOnlyList<PlannedEntry> Entries { get; }

    public IEnumerable<PlannedEntry> Removed => Entries.Where(e => e.Remove);

    public static CompactPlan Create(StoreScan scan, string folder, int ackMaxChars, TimeSpan? keep, DateTimeOffset now, IProgress<double>? progress = null)
    {
        var planned = new List<PlannedEntry>(scan.Entries.Count);
        var cutoff = keep is TimeSpan k ? (now - k).ToUnixTimeMilliseconds() : (long?)null;
        for (var i = 0; i < scan.Entries.Count; i++)
        {
            planned.Add(Decide(scan.Entries[i], folder, ackMaxChars, cutoff));
            if (progress is not null && i % 1000 == 999)
            {
                progress.Report((double)(i + 1) / scan.Entries.Count);
            }
        }

        return new CompactPlan(planned);
    }

    private static PlannedEntry Decide(ScannedEntry entry, string folder, int ackMaxChars, long? cutoff)
    {
        var kind = entry.IsObject ? entry.Kind : EntryKind.Unknown;
        switch (kind)
        {
            case EntryKind.Heartbeat:
            {
                var transcript = TranscriptTail.PathOf(folder, entry, out var problem);
                var reply = transcript is null ? new LastReply(null, problem) : TranscriptTail.Read(transcript);
                if (reply.Text is null)
                {
                    return new PlannedEntry(entry, kind, PlanReason.Unreadable, transcript, reply.Problem);
                }

                return SessionRoutes.Heartbeat(reply.Text, ackMaxChars).Verdict == ReplyVerdict.Ack
                    ? new PlannedEntry(entry, kind, PlanReason.AckedHeartbeat, transcript, null)
                    : new PlannedEntry(entry, kind, PlanReason.HeartbeatAlert, transcript, null);
            }

            case EntryKind.Cron when KeyShapes.IsCronRun(entry.Key):
            {
                var transcript = TranscriptTail.PathOf(folder, entry, out var problem);
                if (cutoff is long c && entry.UpdatedAt < c)
                {
                    return new PlannedEntry(entry, kind, PlanReason.OldCronRun, transcript, null);
                }

                var reply = transcript is null ? new LastReply(null, problem) : TranscriptTail.Read(transcript);
                if (reply.Text is null)
                {
                    return new PlannedEntry(entry, kind, PlanReason.Unreadable, transcript, reply.Problem);
                }

                return SessionRoutes.Cron(reply.Text).Verdict == ReplyVerdict.Silent
                    ? new PlannedEntry(entry, kind, PlanReason.SilentCronRun, transcript, null)
                    : new PlannedEntry(entry, kind, PlanReason.CronRunOutput, transcript, null);
            }

            case EntryKind.Cron:
                return new PlannedEntry(entry, kind, PlanReason.CronJob, null, null);
            case EntryKind.User:
                return new PlannedEntry(entry, kind, PlanReason.User, null, null);
            case EntryKind.Subagent:
                return new PlannedEntry(entry, kind, PlanReason.Subagent, null, null);
            default:
                return new PlannedEntry(entry, kind, PlanReason.Unknown, null, entry.IsObject ? null : "its value is not a JSON object");
        }
    }
}
