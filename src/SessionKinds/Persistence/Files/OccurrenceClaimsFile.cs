using System.Text.Json;
using SessionKinds.Persistence.Json;
using SessionKinds.Engines;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// <c>schedule-claims.json</c>, the occurrence claims of the hosts sharing an agent folder:
/// <c>{"claims": [{"task": "…", "at": ms, "claimant": "…", "leaseUntil": ms, "attempt": n, "done": true|false}]}</c>,
/// one claim per line, oldest occurrence first. Claims of occurrences due before the retention are dropped on every
/// rewrite; a claim that cannot be read is dropped too (it names no occurrence anyone could match).
/// </summary>
internal static class OccurrenceClaimsFile
{
    private const string ClaimsField = "claims";

    public static Content Parse(ReadOnlyMemory<byte> content)
    {
        var (top, raw) = JsonEntryList.Parse(content, "The occurrence claims file", ClaimsField);
        var claims = new List<Entry>(raw.Count);
        foreach (var entry in raw)
        {
            if (TryRead(entry, out var claim))
            {
                claims.Add(claim);
            }
        }

        return new Content(top, claims);
    }

    /// <summary>
    /// Applies the claim rules of <see cref="SessionStore.TryClaimOccurrenceAsync"/> to the claims on file. Returns the
    /// result and the new file content, or <see langword="null"/> content when nothing changes.
    /// </summary>
    public static (OccurrenceClaimResult Result, byte[]? Content) Claim(
        Content? current, ScheduledOccurrence occurrence, string claimant, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset retainSince)
    {
        var claims = Retained(current, retainSince);
        var index = claims.FindIndex(c => c.Is(occurrence));
        var existing = index >= 0 ? claims[index] : null;
        if (existing is { Done: true })
        {
            return (new OccurrenceClaimResult(OccurrenceClaimStatus.Done, existing.ToPublic()), null);
        }

        if (existing is not null && existing.Claimant != claimant && existing.LeaseUntil > now)
        {
            return (new OccurrenceClaimResult(OccurrenceClaimStatus.Held, existing.ToPublic()), null);
        }

        if (existing?.Claimant != claimant
            && claims.Find(c => c.Task == occurrence.Task && c.At != occurrence.ScheduledAt && !c.Done && c.LeaseUntil > now) is { } busy)
        {
            return (new OccurrenceClaimResult(OccurrenceClaimStatus.TaskBusy, busy.ToPublic()), null);
        }

        var attempt = existing is null ? 1 : existing.Claimant == claimant ? existing.Attempt : existing.Attempt + 1;
        var claim = new Entry(occurrence.Task, occurrence.ScheduledAt, claimant, leaseUntil, attempt, Done: false);
        if (index >= 0)
        {
            claims[index] = claim;
        }
        else
        {
            claims.Add(claim);
        }

        return (new OccurrenceClaimResult(OccurrenceClaimStatus.Claimed, claim.ToPublic()), Write(current, claims));
    }

    /// <summary>
    /// The file content with <paramref name="occurrence"/> marked done (a done claim is added when there is none). An
    /// occurrence already done is not completed twice: the commit that would complete it again fails whole.
    /// </summary>
    /// <exception cref="OccurrenceAlreadyDoneException">Another run (or skip) completed the occurrence first.</exception>
    public static byte[] MarkDone(Content? current, ScheduledOccurrence occurrence, DateTimeOffset retainSince)
    {
        var claims = Retained(current, retainSince);
        var index = claims.FindIndex(c => c.Is(occurrence));
        if (index >= 0 && claims[index].Done)
        {
            throw new OccurrenceAlreadyDoneException(AgentFileNameRules.OccurrenceClaims, occurrence, claims[index].Claimant);
        }

        if (index >= 0)
        {
            claims[index] = claims[index] with { Done = true };
        }
        else
        {
            claims.Add(new Entry(occurrence.Task, occurrence.ScheduledAt, Claimant: null, LeaseUntil: occurrence.ScheduledAt, Attempt: 0, Done: true));
        }

        return Write(current, claims);
    }

    private static List<Entry> Retained(Content? current, DateTimeOffset retainSince) =>
        current is null ? [] : current.Claims.FindAll(c => c.At >= retainSince);

    private static byte[] Write(Content? current, List<Entry> claims)
    {
        claims.Sort(static (a, b) => a.At.CompareTo(b.At));
        var entries = claims.ConvertAll(static c => JsonEntryList.Entry(c, static (w, claim) =>
        {
            w.WriteStartObject();
            w.WriteString("task", claim.Task);
            w.WriteNumber("at", claim.At.ToUnixTimeMilliseconds());
            if (claim.Claimant is null)
            {
                w.WriteNull("claimant");
            }
            else
            {
                w.WriteString("claimant", claim.Claimant);
            }

            w.WriteNumber("leaseUntil", claim.LeaseUntil.ToUnixTimeMilliseconds());
            w.WriteNumber("attempt", claim.Attempt);
            w.WriteBoolean("done", claim.Done);
            w.WriteEndObject();
        }));
        var rewrite = new JsonObjectRewrite().SetWith(ClaimsField, w => JsonEntryList.WriteArray(w, entries));
        return JsonValues.Serialize(entries.Count * 128 + 64, JsonValues.FileWriterOptions, (rewrite, current?.Top), static (w, s) => s.rewrite.WriteTo(w, s.Top)).WrittenSpan.ToArray();
    }

    private static bool TryRead(ReadOnlyMemory<byte> raw, out Entry claim)
    {
        claim = default!;
        if (!RawJsonObject.TryParseValue(raw, out var obj)
            || JsonValues.ReadString(obj, "task") is not { Length: > 0 } task
            || !obj.TryGet("at", out var at) || JsonValues.ReadEpochMilliseconds(at) is not long atMs
            || !obj.TryGet("leaseUntil", out var lease) || JsonValues.ReadEpochMilliseconds(lease) is not long leaseMs
            || !obj.TryGet("done", out var rawDone))
        {
            return false;
        }

        var reader = new Utf8JsonReader(rawDone.Span);
        if (!reader.Read() || reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
        {
            return false;
        }

        var attempt = obj.TryGet("attempt", out var rawAttempt) ? JsonValues.ReadCount(rawAttempt) ?? 0 : 0;
        claim = new Entry(
            task,
            DateTimeOffset.FromUnixTimeMilliseconds(atMs),
            JsonValues.ReadString(obj, "claimant"),
            DateTimeOffset.FromUnixTimeMilliseconds(leaseMs),
            attempt,
            reader.TokenType == JsonTokenType.True);
        return true;
    }

    /// <summary>The parsed file: its top-level members and its claims.</summary>
    internal sealed record Content(RawJsonObject Top, List<Entry> Claims);

    /// <summary>One claim; <see cref="Entry.Claimant"/> is <see langword="null"/> for an occurrence marked done without a claim.</summary>
    internal sealed record Entry(string Task, DateTimeOffset At, string? Claimant, DateTimeOffset LeaseUntil, int Attempt, bool Done)
    {
        public bool Is(ScheduledOccurrence occurrence) => Task == occurrence.Task && At == occurrence.ScheduledAt;

        public OccurrenceClaim ToPublic() => new(Task, At, Claimant ?? string.Empty, LeaseUntil, Attempt);
    }
}
