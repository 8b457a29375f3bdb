using System.Globalization;
using SessionKinds;

namespace HeartbeatAgent;

/// <summary>
/// The naive baseline: every reply persisted like a chat, as gateways did before — a full <c>sessions.json</c> entry and a
/// transcript for each run, heartbeats included (each under a key of its own, as those gateways created them).
/// </summary>
public sealed class NaiveMirror(SessionStore naive)
{
    public SessionStore Store => naive;

    public async ValueTask<TaskReply> MirrorAsync(TaskContext context, TaskReply reply, CancellationToken cancellationToken)
    {
        var key = context.Kind == SessionKind.Heartbeat
            ? context.SessionKey + ":" + context.StartedAt.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)
            : context.SessionKey;
        await naive.CompleteAsync(naive.StartSession(SessionKind.User, key, context.Prompt), reply, cancellationToken);
        return reply;
    }
}
