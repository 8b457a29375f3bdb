using Microsoft.Agents.AI;
using SessionKinds;
using SessionKinds.AgentFramework;

namespace AgentFrameworkAgent;

/// <summary>Every 30 minutes: the agent checks the inbox with its tool; most answers are HEARTBEAT_OK and leave nothing behind.</summary>
[HeartbeatSession(RingSize = 20)]
public sealed partial class InboxCheck(AIAgent agent) : AgentTask(agent)
{
    public const string Question = "Check the inbox. Reply HEARTBEAT_OK if nothing needs the user.";

    protected override string DefaultPrompt => Question;
}

/// <summary>One turn of the user's chat: the prompt is the user's message, the history is the stored session.</summary>
[UserSession]
public sealed partial class ChatTurn(AIAgent agent) : AgentTask(agent);
