namespace SessionKinds;

/// <summary>A host's claim on one scheduled occurrence of a task: it runs the occurrence while its lease lasts.</summary>
/// <param name="Task">The task's name (<see cref="SessionTaskInfo.Name"/>).</param>
/// <param name="ScheduledAt">When the occurrence was due (to the millisecond); with <paramref name="Task"/> it names the occurrence.</param>
/// <param name="Claimant">Who holds the claim, e.g. a host's node id.</param>
/// <param name="LeaseUntil">Until when the claim holds; after that another claimant may take the occurrence over.</param>
/// <param name="Attempt">1 for the first claimant, one more for each takeover after a lease ran out.</param>
public sealed record OccurrenceClaim(string Task, DateTimeOffset ScheduledAt, string Claimant, DateTimeOffset LeaseUntil, int Attempt);

/// <summary>One scheduled occurrence of a task: which task, and when it was due (to the millisecond).</summary>
/// <param name="Task">The task's name (<see cref="SessionTaskInfo.Name"/>).</param>
/// <param name="ScheduledAt">When the occurrence was due.</param>
public sealed record ScheduledOccurrence(string Task, DateTimeOffset ScheduledAt);

/// <summary>What <see cref="SessionStore.TryClaimOccurrenceAsync"/> found.</summary>
public enum OccurrenceClaimStatus
{
    /// <summary>The caller holds the claim (new, renewed by the same claimant, or taken over after a lease ran out): run the occurrence.</summary>
    Claimed = 0,

    /// <summary>The occurrence was already run (or skipped) by someone: do nothing.</summary>
    Done = 1,

    /// <summary>Another claimant holds the occurrence and its lease has not run out: do nothing.</summary>
    Held = 2,

    /// <summary>Another occurrence of the same task is still running (its claim holds): skip this one.</summary>
    TaskBusy = 3,
}

/// <summary>The result of trying to claim an occurrence.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Claim">The caller's claim when <paramref name="Status"/> is <see cref="OccurrenceClaimStatus.Claimed"/>; otherwise the claim that holds the occurrence or the busy task, when there is one.</param>
public readonly record struct OccurrenceClaimResult(OccurrenceClaimStatus Status, OccurrenceClaim? Claim);

/// <summary>
/// A run or skip tried to complete an occurrence that another run or skip had already completed (its host lost its claim,
/// e.g. its lease ran out while it was paused, and another host ran the occurrence). Nothing was written: each occurrence
/// is completed once.
/// </summary>
public sealed class OccurrenceAlreadyDoneException : SessionStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The store's claims (a file or a table).</param>
    /// <param name="occurrence">The occurrence.</param>
    /// <param name="completedBy">Who completed it, when known.</param>
    public OccurrenceAlreadyDoneException(string location, ScheduledOccurrence occurrence, string? completedBy)
        : base(location, $"The occurrence of {occurrence?.Task} due at {occurrence?.ScheduledAt:o} was already completed{(completedBy is null ? string.Empty : " by " + completedBy)}; this run's result was not written, so the occurrence is completed once.")
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        Occurrence = occurrence;
        CompletedBy = completedBy;
    }

    /// <summary>The occurrence.</summary>
    public ScheduledOccurrence Occurrence { get; }

    /// <summary>The claimant that completed it, when known.</summary>
    public string? CompletedBy { get; }
}
