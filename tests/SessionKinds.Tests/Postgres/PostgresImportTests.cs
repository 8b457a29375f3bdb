using System.Text;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Import;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.PostgresEngine;

/// <summary>
/// What only the PostgreSQL engine shows of an import (the round trip every database engine passes is in
/// Import/ImportTests): a refusal names the server, schema and agent; text PostgreSQL cannot hold refuses the import before
/// anything is sent; an import waits for the agent's writers (and times out clearly); a ring imported without an owner is
/// adopted by the first task that writes it.
/// </summary>
public sealed class PostgresImportTests
{
    private const string Id = "3f2c9a1e-7b4d-4c1a-9e2f-0b8d6a5c4e21";

    [SkippableFact]
    public async Task A_refusal_names_the_server_schema_and_agent_and_what_to_change()
    {
        await using var s = PostgresTestSupport.Create();
        using var temp = new TempFolder();
        var folder = Folder(temp, $$$"""{"agent:main:main": {"sessionId": "{{{Id}}}", "updatedAt": 1770650000000}}""");
        var target = (PostgresSessionStore)s.Store;
        Assert.Equal($"PostgreSQL server {target.Server}, schema \"{target.Schema}\", agent {target.AgentId}", target.ImportDestination);
        await AgentFolderImport.ImportAsync(folder, target);
        var snapshot = await s.SnapshotAsync();

        var again = await Assert.ThrowsAsync<SessionStoreException>(async () => await AgentFolderImport.ImportAsync(folder, target));

        Assert.Equal(
            $"The agent {target.AgentId} in schema \"{target.Schema}\" on the PostgreSQL server {target.Server} already holds 1 row(s) in sessions, so {folder} is not imported into it (an import never merges). " +
            "Import into a new agent id (PostgresSessionStoreOptions.AgentId) or another schema (PostgresSessionStoreOptions.Schema). Nothing was written.",
            again.Message);
        Assert.StartsWith("postgresql://", again.Location, StringComparison.Ordinal);
        await s.AssertUnchangedSinceAsync(snapshot, "a second import is refused");
    }

    [SkippableFact]
    public async Task A_key_PostgreSQL_text_cannot_hold_refuses_the_whole_import_before_anything_is_sent()
    {
        await using var s = PostgresTestSupport.Create();
        using var temp = new TempFolder();
        var folder = Folder(temp, $$$"""{"agent:main:main": {"sessionId": "{{{Id}}}"}, "agent:main:dm:a\u0000b": {"sessionId": "6c1f4b2e-0000-4000-8000-00000000abcd"}}""");
        var empty = await s.SnapshotAsync();

        var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await AgentFolderImport.ImportAsync(folder, (IAgentImportTarget)s.Store));

        Assert.Contains("the entry agent:main:dm:a", error.Message, StringComparison.Ordinal);
        Assert.Contains("contains U+0000 or a lone surrogate, which PostgreSQL text cannot hold", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written.", error.Message, StringComparison.Ordinal);
        await s.AssertUnchangedSinceAsync(empty, "an import with an unstorable key is refused whole");
    }

    [SkippableFact]
    public async Task An_import_waits_for_the_agents_writers_and_times_out_with_nothing_written()
    {
        await using var s = PostgresTestSupport.Create(settings => settings with { WaitTimeout = TimeSpan.FromMilliseconds(500) });
        using var temp = new TempFolder();
        var folder = Folder(temp, $$$"""{"agent:main:main": {"sessionId": "{{{Id}}}"}}""");
        var empty = await s.SnapshotAsync();

        await using (await s.Agent.HoldWriteLockAsync())
        {
            var error = await Assert.ThrowsAsync<SessionStoreException>(async () => await AgentFolderImport.ImportAsync(folder, (IAgentImportTarget)s.Store));
            Assert.Contains("waiting for the writers of agent", error.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        }

        await s.AssertUnchangedSinceAsync(empty, "an import that timed out");
        await AgentFolderImport.ImportAsync(folder, (IAgentImportTarget)s.Store);
        Assert.Single(await s.Store.ReadSessionsAsync());
    }

    [SkippableFact]
    public async Task A_ring_imported_without_an_owner_is_adopted_by_the_first_task_that_writes_it()
    {
        await using var s = PostgresTestSupport.Create();
        using var temp = new TempFolder();
        var folder = Folder(temp, "{}");
        File.WriteAllText(Path.Combine(folder, "heartbeat-ring.json"), """{"maxEntries": 50, "entries": [{"ts": 1770600000, "result": "alert", "summary": "disk 91%"}]}""");

        await AgentFolderImport.ImportAsync(folder, (IAgentImportTarget)s.Store);
        Assert.Null((await s.Store.ReadHeartbeatRingAsync()).Task);
        await s.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");

        var ring = await s.Store.ReadHeartbeatRingAsync();
        Assert.Equal([HeartbeatResult.Alert, HeartbeatResult.Ok], ring.Entries.Select(e => e.Result));
        Assert.Equal(typeof(InboxCheck).FullName, ring.Task);
        await Assert.ThrowsAsync<HeartbeatRingOwnershipException>(async () => await s.RunAsync<CalendarCheck>("agent:main:cal", "HEARTBEAT_OK"));
    }

    private static string Folder(TempFolder temp, string sessions)
    {
        var folder = Path.Combine(temp.Root, "agent");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "sessions.json"), sessions, new UTF8Encoding(false));
        return folder;
    }
}
