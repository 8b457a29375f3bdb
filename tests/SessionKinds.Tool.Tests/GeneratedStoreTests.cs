using System.Text.Json;
using SessionKinds.Testing;
using SessionKinds.Tool.Tests.Infrastructure;

namespace SessionKinds.Tool.Tests;

/// <summary>The generated stores look like the gateway's: its field names, no kind field, its key shapes, v3 transcripts.</summary>
public class GeneratedStoreTests
{
    [Fact]
    public void Chat_entries_carry_87_gateway_field_names_and_no_entry_has_a_kind_field()
    {
        using var folder = new TempFolder();
        var entries = GatewayFolders.Create(folder.Path, 300);

        using var store = JsonDocument.Parse(File.ReadAllBytes(folder.SessionsPath));
        var main = store.RootElement.GetProperty("agent:main:main");
        var fields = GatewayFolders.FieldNames(main);
        Assert.Equal(87, fields.Count);
        Assert.Contains("systemPromptReport.tools.entries.schemaChars", fields);
        Assert.Contains("deliveryContext.accountId", fields);
        Assert.All(store.RootElement.EnumerateObject(), e => Assert.False(e.Value.TryGetProperty("kind", out _), e.Name));
        Assert.Equal(entries.Select(e => e.Key), store.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Contains(entries, e => e.Role == GatewayEntryRole.AckedHeartbeat);
        Assert.Contains(entries, e => e.Role == GatewayEntryRole.SilentCronRun);

        var transcript = File.ReadAllLines(folder.File(entries[0].SessionId + ".jsonl"));
        using var header = JsonDocument.Parse(transcript[0]);
        Assert.Equal("session", header.RootElement.GetProperty("type").GetString());
        Assert.Equal(3, header.RootElement.GetProperty("version").GetInt32());
        using var reply = JsonDocument.Parse(transcript[^1]);
        Assert.Equal("assistant", reply.RootElement.GetProperty("message").GetProperty("role").GetString());
    }

    [Fact]
    public void The_reply_lists_are_what_the_reply_rules_say_they_are()
    {
        Assert.All(GatewayFolders.AckReplies, r => Assert.Equal(ReplyVerdict.Ack, SessionRoutes.Heartbeat(r, 300).Verdict));
        Assert.All(GatewayFolders.AlertReplies, r => Assert.Equal(ReplyVerdict.Alert, SessionRoutes.Heartbeat(r, 300).Verdict));
        Assert.All(GatewayFolders.SilentCronReplies, r => Assert.Equal(ReplyVerdict.Silent, SessionRoutes.Cron(r).Verdict));
        Assert.All(GatewayFolders.OutputCronReplies, r => Assert.Equal(ReplyVerdict.Output, SessionRoutes.Cron(r).Verdict));
    }
}
