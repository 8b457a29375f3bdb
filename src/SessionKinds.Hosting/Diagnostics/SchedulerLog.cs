using Microsoft.Extensions.Logging;

namespace SessionKinds.Hosting;

/// <summary>The scheduler's log messages (source-generated, event ids 1–19).</summary>
internal static partial class SchedulerLog
{
    [LoggerMessage(1, LogLevel.Information, "SessionKinds host of agent {AgentId} (node {NodeId}) runs {Count} scheduled task(s)")]
    public static partial void Started(ILogger logger, string agentId, string nodeId, int count);

    [LoggerMessage(2, LogLevel.Information, "{Task} ({Schedule}): next occurrence {Next:o}")]
    public static partial void Planned(ILogger logger, string task, string schedule, DateTimeOffset? next);

    [LoggerMessage(3, LogLevel.Warning, "{Task} never runs: {Reason}")]
    public static partial void NeverRuns(ILogger logger, string task, string reason);

    [LoggerMessage(4, LogLevel.Information, "{Task}: catching up the occurrence of {ScheduledAt:o} missed while the host was down (only the latest missed occurrence runs)")]
    public static partial void CatchingUp(ILogger logger, string task, DateTimeOffset scheduledAt);

    [LoggerMessage(5, LogLevel.Debug, "{Task}: running the occurrence of {ScheduledAt:o} (attempt {Attempt}) as {SessionKey}")]
    public static partial void Running(ILogger logger, string task, DateTimeOffset scheduledAt, int attempt, string sessionKey);

    [LoggerMessage(6, LogLevel.Information, "{Task}: occurrence of {ScheduledAt:o} ran: {Verdict} in {DurationMs} ms")]
    public static partial void Ran(ILogger logger, string task, DateTimeOffset scheduledAt, string verdict, long durationMs);

    [LoggerMessage(7, LogLevel.Error, "{Task}: occurrence of {ScheduledAt:o} failed; the host keeps running")]
    public static partial void Failed(ILogger logger, Exception exception, string task, DateTimeOffset scheduledAt);

    [LoggerMessage(8, LogLevel.Warning, "{Task}: occurrence of {ScheduledAt:o} skipped: {Reason}")]
    public static partial void Skipped(ILogger logger, string task, DateTimeOffset scheduledAt, string reason);

    [LoggerMessage(9, LogLevel.Information, "{Task}: occurrence of {ScheduledAt:o} cancelled because the host is stopping; nothing was written, so it runs again once its claim's lease has run out")]
    public static partial void Cancelled(ILogger logger, string task, DateTimeOffset scheduledAt);

    [LoggerMessage(10, LogLevel.Debug, "{Task}: occurrence of {ScheduledAt:o} is held by {Claimant} until {LeaseUntil:o}; checking again then")]
    public static partial void Held(ILogger logger, string task, DateTimeOffset scheduledAt, string claimant, DateTimeOffset leaseUntil);

    [LoggerMessage(11, LogLevel.Warning, "{Task}: taking over the occurrence of {ScheduledAt:o} (attempt {Attempt}): the host that claimed it stopped renewing its lease")]
    public static partial void TakingOver(ILogger logger, string task, DateTimeOffset scheduledAt, int attempt);

    [LoggerMessage(12, LogLevel.Warning, "{Task}: lost the claim on the occurrence of {ScheduledAt:o} ({Status}); the run is cancelled and writes nothing")]
    public static partial void LeaseLost(ILogger logger, string task, DateTimeOffset scheduledAt, OccurrenceClaimStatus status);

    [LoggerMessage(13, LogLevel.Error, "{Task}: the store could not be reached for the occurrence of {ScheduledAt:o}; trying again at {RetryAt:o}")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string task, DateTimeOffset scheduledAt, DateTimeOffset retryAt);

    [LoggerMessage(14, LogLevel.Information, "{Task}: {Missed} occurrence(s) passed while the host was busy or suspended; only the latest ({ScheduledAt:o}) runs")]
    public static partial void Coalesced(ILogger logger, string task, int missed, DateTimeOffset scheduledAt);

    [LoggerMessage(15, LogLevel.Warning, "{Task}: the occurrence of {ScheduledAt:o} was completed by {CompletedBy} while this host ran it (its claim had run out); this run wrote nothing")]
    public static partial void Superseded(ILogger logger, string task, DateTimeOffset scheduledAt, string completedBy);

    [LoggerMessage(16, LogLevel.Error, "{Task}: observer {Observer} failed on the occurrence of {ScheduledAt:o}; the run is not affected")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string task, DateTimeOffset scheduledAt, string observer);
}
