using SessionKinds.Tool.Store;

namespace SessionKinds.Tool.Tests;

/// <summary>Kinds read from the gateway's key shapes: only documented shapes count, anything else is unknown.</summary>
public class KeyShapeTests
{
    public static TheoryData<string, string> Keys => new()
    {
        { "agent:main:main", "user" },
        { "agent:ops:work", "user" },
        { "global", "user" },
        { "agent:main:dm:123456789", "user" },
        { "agent:main:telegram:dm:123456789", "user" },
        { "agent:main:whatsapp:default:dm:+15551234567", "user" },
        { "agent:main:matrix:dm:@alice:example.org", "user" },
        { "agent:main:telegram:group:-1001234567890", "user" },
        { "agent:main:discord:channel:998877", "user" },
        { "agent:main:telegram:group:-1001234567890:topic:42", "user" },
        { "agent:main:slack:channel:c123:thread:1712.0001", "user" },
        { "agent:main:main:heartbeat", "heartbeat" },
        { "agent:main:heartbeat", "heartbeat" },
        { "agent:main:telegram:dm:123456789:heartbeat", "heartbeat" },
        { "agent:main:cron:morning-brief", "cron" },
        { "agent:main:cron:morning-brief:run:0b6e2c4d-8f1a-4b3c-9d2e-7a6b5c4d3e2f", "cron" },
        { "cron:morning-brief", "cron" },
        { "cron:morning-brief:run:0b6e2c4d", "cron" },
        { "agent:main:subagent:a514ee78-2b3c-4d5e-8f90-1a2b3c4d5e6f", "subagent" },
        { "agent:main:subagent:a514ee78:subagent:c7d8e9f0", "subagent" },
        { "hook:3f2c9a1e-7b4d-4c1a-9e2f-0b8d6a5c4e21", "unknown" },
        { "node-abc123", "unknown" },
        { "agent:main:acp:3f2c9a1e-7b4d-4c1a-9e2f-0b8d6a5c4e21", "unknown" },
        { "agent:main:explicit:model-run-3f2c9a1e", "unknown" },
        { "agent:main:cron:morning-brief:extra", "unknown" },
        { "agent:main:cron:job:run:", "unknown" },
        { "agent:main:subagent", "user" }, // a main key named "subagent", not a spawned child
        { "agent:main:telegram:direct:123", "unknown" },
        { "agent:main:", "unknown" },
        { "agent::main", "unknown" },
        { "main", "unknown" },
        { "my-custom-session", "unknown" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_key_without_a_kind_field_gets_the_kind_its_shape_says(string key, string kind)
    {
        Assert.Equal(kind, KeyShapes.Name(KeyShapes.KindOf(key, kindField: null, out var inferred)));
        Assert.True(inferred);
    }

    [Theory]
    [InlineData("agent:main:main", "heartbeat", "heartbeat")]
    [InlineData("hook:1", "subagent", "subagent")]
    [InlineData("agent:main:main", "Heartbeat", "user")] // not a kind name: the key decides
    [InlineData("my-key", "bogus", "unknown")]
    public void The_kind_field_wins_when_it_names_a_kind(string key, string kindField, string kind)
    {
        Assert.Equal(kind, KeyShapes.Name(KeyShapes.KindOf(key, kindField, out _)));
    }

    [Theory]
    [InlineData("agent:main:cron:brief:run:r1", true)]
    [InlineData("cron:brief:run:r1", true)]
    [InlineData("agent:main:cron:brief", false)]
    [InlineData("agent:main:cron:brief:run:r1:x", false)]
    [InlineData("agent:main:main", false)]
    public void Cron_runs_are_the_run_shaped_keys(string key, bool isRun) => Assert.Equal(isRun, KeyShapes.IsCronRun(key));
}
