using System.Text.Json;

namespace SessionKinds.Tool.Tests.Infrastructure;

/// <summary>Small hand-written gateway stores with transcripts, for exact-output tests.</summary>
internal static class SmallStores
{
    public const string MainId = "3f2c9a1e-7b4d-4c1a-9e2f-0b8d6a5c4e21";
    public const string GroupId = "9d0e5b7a-1c2f-4e3d-8a9b-6c5d4e3f2a10";
    public const string AckedId = "11111111-1c2f-4e3d-8a9b-6c5d4e3f2a10";
    public const string AlertId = "22222222-1c2f-4e3d-8a9b-6c5d4e3f2a10";
    public const string MissingId = "33333333-1c2f-4e3d-8a9b-6c5d4e3f2a10";
    public const string SilentRunId = "0b6e2c4d-8f1a-4b3c-9d2e-7a6b5c4d3e2f";
    public const string OutputRunId = "44444444-8f1a-4b3c-9d2e-7a6b5c4d3e2f";
    public const string SubagentId = "c7d8e9f0-1a2b-4c3d-9e8f-7a6b5c4d3e2f";

    /// <summary>2026-02-09T12:00:00Z, a few hours after the newest entry.</summary>
    public static readonly DateTimeOffset Now = new(2026, 2, 9, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The gateway notes' example store plus a heartbeat ack, an alert, one without transcript, cron output and a hook.</summary>
    public const string Sessions = $$"""
        {
          "agent:main:main": {
            "sessionId": "{{MainId}}",
            "updatedAt": 1770630000000,
            "systemSent": true,
            "chatType": "direct",
            "lastChannel": "telegram",
            "deliveryContext": { "channel": "telegram", "to": "123456789", "accountId": "default" },
            "origin": { "provider": "telegram", "chatType": "direct", "from": "telegram:123456789" },
            "model": "claude-opus-4-5",
            "inputTokens": 18234, "outputTokens": 912, "totalTokens": 19146, "contextTokens": 200000,
            "lastHeartbeatText": "Reminder: dentist at 15:00"
          },
          "agent:main:telegram:group:-1001234567890": {
            "sessionId": "{{GroupId}}",
            "updatedAt": 1770540000000,
            "chatType": "group", "channel": "telegram", "subject": "Family", "displayName": "telegram:g-family"
          },
          "agent:main:telegram:dm:555:heartbeat": {
            "sessionId": "{{AckedId}}",
            "updatedAt": 1770620000000,
            "heartbeatIsolatedBaseSessionKey": "agent:main:telegram:dm:555"
          },
          "agent:main:main:heartbeat": {
            "sessionId": "{{AlertId}}",
            "updatedAt": 1770621000000
          },
          "agent:main:dm:777:heartbeat": {
            "sessionId": "{{MissingId}}",
            "updatedAt": 1770622000000
          },
          "agent:main:cron:morning-brief:run:{{SilentRunId}}": {
            "sessionId": "{{SilentRunId}}",
            "updatedAt": 1770450000000
          },
          "agent:main:cron:morning-brief:run:{{OutputRunId}}": {
            "sessionId": "{{OutputRunId}}",
            "updatedAt": 1770460000000
          },
          "agent:main:subagent:a514ee78-2b3c-4d5e-8f90-1a2b3c4d5e6f": {
            "sessionId": "{{SubagentId}}",
            "updatedAt": 1770625000000,
            "spawnedBy": "agent:main:main", "spawnDepth": 1, "label": "research"
          },
          "hook:5e5e5e5e-0000-4000-8000-000000000001": {
            "sessionId": "5e5e5e5e-0000-4000-8000-000000000001",
            "updatedAt": 1770626000000
          }
        }
        """;

    /// <summary>Writes <see cref="Sessions"/> (or <paramref name="sessions"/>) and the transcripts into <paramref name="folder"/>.</summary>
    public static void Write(string folder, string? sessions = null)
    {
        File.WriteAllText(Path.Combine(folder, "sessions.json"), sessions ?? Sessions);
        Transcript(folder, MainId, "When does my train leave?", "07:34 from platform 4.");
        Transcript(folder, GroupId, "Who brings the cake?", "Anna does.");
        Transcript(folder, AckedId, "Read HEARTBEAT.md if it exists. If nothing needs attention, reply HEARTBEAT_OK.", "HEARTBEAT_OK");
        Transcript(folder, AlertId, "Read HEARTBEAT.md if it exists. If nothing needs attention, reply HEARTBEAT_OK.", "The backup disk is 97% full.");
        Transcript(folder, SilentRunId, "[cron:morning-brief Morning brief] Run the job.", "NO_REPLY");
        Transcript(folder, OutputRunId, "[cron:morning-brief Morning brief] Run the job.", "3 meetings today; rain from 17:00.");
        Transcript(folder, SubagentId, "Find the train times.", "07:34 and 08:04.");
    }

    /// <summary>A gateway v3 transcript: header, then one user and one assistant message.</summary>
    public static void Transcript(string folder, string sessionId, string prompt, string reply) => File.WriteAllText(
        Path.Combine(folder, sessionId + ".jsonl"),
        "{\"type\":\"session\",\"version\":3,\"id\":\"" + sessionId + "\",\"timestamp\":\"2026-02-09T09:00:00.000Z\",\"cwd\":\"/home/u/.openclaw/workspace\"}\n" +
        "{\"type\":\"message\",\"id\":\"a1b2c3d4\",\"parentId\":null,\"timestamp\":\"2026-02-09T09:30:00.000Z\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":" +
        JsonSerializer.Serialize(prompt) + "}],\"timestamp\":1770629400000}}\n" +
        "{\"type\":\"message\",\"id\":\"b2c3d4e5\",\"parentId\":\"a1b2c3d4\",\"timestamp\":\"2026-02-09T09:30:04.000Z\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":" +
        JsonSerializer.Serialize(reply) + "}],\"stopReason\":\"stop\",\"timestamp\":1770629404000}}\n");
}
