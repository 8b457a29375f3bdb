using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Import;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Sqlite;

/// <summary>
/// What only the SQLite engine shows of an import (the round trip every database engine passes is in Import/ImportTests):
/// entries keep the file's order, the database passes the engine's integrity checks with gateway transcripts in it, and a
/// refusal names the database file and the option to change.
/// </summary>
public sealed class SqliteImportTests
{
    [Fact]
    public async Task A_gateway_folder_keeps_its_entry_order_passes_the_integrity_checks_and_a_refusal_names_the_database()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Root, "gateway");
        var written = GatewayFolder.Write(folder, 300, seed: 5);
        await using var s = StoreUnderTest.Create("sqlite");
        var agent = (SqliteStoreAgent)s.Agent;
        var target = (SqliteSessionStore)s.Store;
        Assert.Equal($"SQLite database {agent.DatabasePath}, agent {agent.AgentId}", target.ImportDestination);

        await AgentFolderImport.ImportAsync(folder, target);

        Assert.Equal(written.Entries.Select(e => e.Key), (await s.Store.ReadSessionsAsync()).Select(e => e.Key));
        Assert.Empty(await s.Agent.FindIntegrityProblemsAsync());

        var again = await Assert.ThrowsAsync<SessionStoreException>(async () => await AgentFolderImport.ImportAsync(folder, target));
        Assert.Equal(agent.DatabasePath, again.Location);
        Assert.Contains($"The agent {agent.AgentId} in the SQLite database {agent.DatabasePath} already holds 300 row(s) in sessions", again.Message, StringComparison.Ordinal);
        Assert.Contains("SqliteSessionStoreOptions.AgentId", again.Message, StringComparison.Ordinal);
    }
}
