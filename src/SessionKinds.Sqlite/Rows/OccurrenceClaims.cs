using SessionKinds.Sqlite.Storage;
using SessionKinds.Engines;

namespace SessionKinds.Sqlite.Rows;

/// <summary>
/// The <c>occurrence_claims</c> rows, by the claim rules of <see cref="SessionStore.TryClaimOccurrenceAsync"/>; every call
/// runs inside one write transaction, so claimants in threads and processes see each other's claims. Claims of
/// occurrences due before the retention are deleted first, as if they had never been made.
/// </summary>
internal static class OccurrenceClaims
{
    public static OccurrenceClaimResult Claim(
        SqliteSession session, string agentId, ScheduledOccurrence occurrence, string claimant, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset retainSince)
    {
        DeleteExpired(session, agentId, retainSince);
        var at = occurrence.ScheduledAt.ToUnixTimeMilliseconds();
        var existing = Find(session.Command("""
            SELECT task, scheduled_at, claimant, lease_until, attempt, done FROM occurrence_claims WHERE agent_id = $agent AND task = $task AND scheduled_at = $at
            """).With("$agent", agentId).With("$task", occurrence.Task).With("$at", at));
        var nowMs = now.ToUnixTimeMilliseconds();
        if (existing is { Done: true })
        {
            return new(OccurrenceClaimStatus.Done, existing.Value.Claim);
        }

        if (existing is { } held && held.Claim.Claimant != claimant && held.LeaseUntilMs > nowMs)
        {
            return new(OccurrenceClaimStatus.Held, held.Claim);
        }

        if (existing?.Claim.Claimant != claimant
            && Find(session.Command("""
                SELECT task, scheduled_at, claimant, lease_until, attempt, done FROM occurrence_claims
                WHERE agent_id = $agent AND task = $task AND scheduled_at <> $at AND done = 0 AND lease_until > $now ORDER BY scheduled_at LIMIT 1
                """).With("$agent", agentId).With("$task", occurrence.Task).With("$at", at).With("$now", nowMs)) is { } busy)
        {
            return new(OccurrenceClaimStatus.TaskBusy, busy.Claim);
        }

        var attempt = existing is not { } prior ? 1 : prior.Claim.Claimant == claimant ? prior.Claim.Attempt : prior.Claim.Attempt + 1;
        var claim = new OccurrenceClaim(occurrence.Task, occurrence.ScheduledAt, claimant, leaseUntil, attempt);
        session.Command("""
            INSERT INTO occurrence_claims (agent_id, task, scheduled_at, claimant, lease_until, attempt, done) VALUES ($agent, $task, $at, $claimant, $lease, $attempt, 0)
            ON CONFLICT (agent_id, task, scheduled_at) DO UPDATE SET claimant = excluded.claimant, lease_until = excluded.lease_until, attempt = excluded.attempt, done = 0
            """)
            .With("$agent", agentId).With("$task", occurrence.Task).With("$at", at).With("$claimant", claimant)
            .With("$lease", leaseUntil.ToUnixTimeMilliseconds()).With("$attempt", attempt)
            .ExecuteNonQuery();
        return new(OccurrenceClaimStatus.Claimed, claim);
    }

    /// <summary>
    /// Refuses, inside the completion's transaction and before it writes anything, to complete an occurrence that a run or
    /// skip already completed (claims due before <paramref name="retainSince"/> count as forgotten, as in <see cref="Claim"/>).
    /// </summary>
    /// <exception cref="OccurrenceAlreadyDoneException">The occurrence is done; the caller's transaction rolls back.</exception>
    public static void ThrowIfDone(SqliteSession session, string agentId, ScheduledOccurrence occurrence, DateTimeOffset retainSince, string location)
    {
        var at = occurrence.ScheduledAt.ToUnixTimeMilliseconds();
        if (at >= retainSince.ToUnixTimeMilliseconds()
            && Find(session.Command("""
                SELECT task, scheduled_at, claimant, lease_until, attempt, done FROM occurrence_claims WHERE agent_id = $agent AND task = $task AND scheduled_at = $at
                """).With("$agent", agentId).With("$task", occurrence.Task).With("$at", at)) is { Done: true } done)
        {
            throw new OccurrenceAlreadyDoneException(location, occurrence, done.Claim.Claimant.Length == 0 ? null : done.Claim.Claimant);
        }
    }

    /// <summary>Marks the occurrence done (a done claim without a claimant when there is none), in the completion's transaction.</summary>
    public static void MarkDone(SqliteSession session, string agentId, ScheduledOccurrence occurrence, DateTimeOffset retainSince)
    {
        DeleteExpired(session, agentId, retainSince);
        var at = occurrence.ScheduledAt.ToUnixTimeMilliseconds();
        session.Command("""
            INSERT INTO occurrence_claims (agent_id, task, scheduled_at, claimant, lease_until, attempt, done) VALUES ($agent, $task, $at, NULL, $at, 0, 1)
            ON CONFLICT (agent_id, task, scheduled_at) DO UPDATE SET done = 1
            """)
            .With("$agent", agentId).With("$task", occurrence.Task).With("$at", at)
            .ExecuteNonQuery();
    }

    private static void DeleteExpired(SqliteSession session, string agentId, DateTimeOffset retainSince) =>
        session.Command("DELETE FROM occurrence_claims WHERE agent_id = $agent AND scheduled_at < $since")
            .With("$agent", agentId).With("$since", retainSince.ToUnixTimeMilliseconds())
            .ExecuteNonQuery();

    private static Row? Find(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var leaseUntil = reader.GetInt64(3);
        var claim = new OccurrenceClaim(
            reader.GetString(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            reader.GetStringOrNull(2) ?? string.Empty,
            DateTimeOffset.FromUnixTimeMilliseconds(leaseUntil),
            (int)reader.GetInt64(4));
        return new Row(claim, leaseUntil, reader.GetInt64(5) != 0);
    }

    private readonly record struct Row(OccurrenceClaim Claim, long LeaseUntilMs, bool Done);
}
