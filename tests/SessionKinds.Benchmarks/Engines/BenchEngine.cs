using Microsoft.Data.Sqlite;

namespace SessionKinds.Benchmarks.Engines;

/// <summary>
/// One store engine as the engine reports (<see cref="EnginesCommand"/>) drive it: open a store on an agent of the engine's
/// storage in a work folder, seed an agent with an agent folder's data, and measure the bytes it takes. A new engine
/// is one subclass and one line in <see cref="BenchEngines.All"/>; every report then has its rows.
/// </summary>
internal abstract class BenchEngine
{
    /// <summary>The engine's name in the reports.</summary>
    public abstract string Name { get; }

    /// <summary>Opens a store on agent <paramref name="agentId"/> of this engine's storage in <paramref name="workFolder"/> (a folder of the benchmark's own).</summary>
    public abstract ValueTask<SessionStore> OpenAsync(string workFolder, string agentId);

    /// <summary>
    /// Gives agent <paramref name="agentId"/> the data of the agent folder <paramref name="agentFolder"/> (which is only
    /// read): an import (<see cref="AgentFolderImport"/>) for an engine that takes one.
    /// </summary>
    public virtual async ValueTask SeedAsync(string workFolder, string agentId, string agentFolder)
    {
        await using var store = await OpenAsync(workFolder, agentId);
        await AgentFolderImport.ImportAsync(agentFolder, (IAgentImportTarget)store);
    }

    /// <summary>The bytes this engine's storage in <paramref name="workFolder"/> takes on disk, every store closed.</summary>
    public abstract long BytesOnDisk(string workFolder);

    /// <summary>What <see cref="BytesOnDisk"/> counts, for the report's notes.</summary>
    public abstract string BytesNote { get; }

    /// <summary>A variant of another engine's settings, reported only where the settings matter (latency by store size).</summary>
    public virtual bool IsVariant => false;

    protected static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
}

/// <summary>The engines the reports compare, in their order. Add a line for a new engine.</summary>
internal static class BenchEngines
{
    public static IReadOnlyList<BenchEngine> All { get; } =
    [
        new FileBenchEngine(rotate: true),
        new FileBenchEngine(rotate: false),
        new SqliteBenchEngine(),
        .. PostgresBenchEngine.WhereAServerCanRun,
    ];
}

/// <summary>
/// <see cref="FileSessionStore"/>: an agent is the folder <c>&lt;work folder&gt;/&lt;agent id&gt;</c>. With its default settings
/// a <c>sessions.json</c> past 10 MB rotates into an archive keeping the 100 newest entries live; the variant without
/// rotation keeps every entry live, as a database does.
/// </summary>
internal sealed class FileBenchEngine(bool rotate) : BenchEngine
{
    public override string Name => rotate ? "file" : "file, no rotation";

    public override bool IsVariant => !rotate;

    public override string BytesNote => "every file of the agent folders (lock files included)";

    public override ValueTask<SessionStore> OpenAsync(string workFolder, string agentId) =>
        new(new FileSessionStore(Path.Combine(workFolder, agentId), new FileSessionStoreOptions { RotateAtBytes = rotate ? FileSessionStoreOptions.DefaultRotateAtBytes : long.MaxValue }));

    public override ValueTask SeedAsync(string workFolder, string agentId, string agentFolder)
    {
        var target = Path.Combine(workFolder, agentId);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(agentFolder))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        return default;
    }

    public override long BytesOnDisk(string workFolder) => FolderBytes(workFolder);
}

/// <summary><see cref="SqliteSessionStore"/>: every agent in the one database <c>&lt;work folder&gt;/sessions.db</c>.</summary>
internal sealed class SqliteBenchEngine : BenchEngine
{
    public override string Name => "sqlite";

    public override string BytesNote => "the database file after a checkpoint (its -wal truncated), with its -shm";

    public override ValueTask<SessionStore> OpenAsync(string workFolder, string agentId) => new(new SqliteSessionStore(Path.Combine(workFolder, "sessions.db"), agentId));

    public override long BytesOnDisk(string workFolder)
    {
        var path = Path.Combine(workFolder, "sessions.db");
        if (File.Exists(path))
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        return FolderBytes(workFolder);
    }
}
