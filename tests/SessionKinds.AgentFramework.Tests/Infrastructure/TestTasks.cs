using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework.Tests.Infrastructure;

/// <summary>Heartbeat over an agent: a fixed question, most answers HEARTBEAT_OK.</summary>
[HeartbeatSession(RingSize = 10)]
public sealed partial class InboxCheck(AIAgent agent) : AgentTask(agent)
{
    public const string Question = "Check the inbox. Reply HEARTBEAT_OK if nothing needs the user.";

    protected override string DefaultPrompt => Question;
}

/// <summary>A morning brief over an agent; NO_REPLY when the day is empty.</summary>
[CronSession("0 7 * * *")]
public sealed partial class MorningBrief(AIAgent agent) : AgentTask(agent)
{
    protected override string DefaultPrompt => "Brief the user on today, or reply NO_REPLY.";
}

/// <summary>One turn of the user's chat over an agent: the prompt is the user's message.</summary>
[UserSession]
public sealed partial class ChatTurn(AIAgent agent) : AgentTask(agent);

/// <summary>A research job over an agent.</summary>
[SubagentSession]
public sealed partial class Research(AIAgent agent) : AgentTask(agent);

/// <summary>A chat turn straight over a chat client.</summary>
[UserSession]
public sealed partial class DirectChat(IChatClient model, SessionKindsChatHistoryProvider? history) : ChatClientTask(model, history);

/// <summary>A cron job straight over a chat client.</summary>
[CronSession("30 6 * * *")]
public sealed partial class DirectDigest(IChatClient model) : ChatClientTask(model)
{
    protected override string DefaultPrompt => "Digest the night's alerts, or reply NO_REPLY.";
}

/// <summary>A heartbeat straight over a chat client (its own ring).</summary>
[HeartbeatSession(RingFile = "direct-ring.json")]
public sealed partial class DirectHeartbeat(IChatClient model, SessionKindsChatHistoryProvider history) : ChatClientTask(model, history)
{
    protected override string DefaultPrompt => InboxCheck.Question;
}
