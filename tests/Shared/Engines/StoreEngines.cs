namespace SessionKinds.Tests.Engines;

/// <summary>The store engines every conformance test runs against, and the writer child process can open.</summary>
/// <remarks>
/// Adding an engine (SQLite, PostgreSQL): write one <see cref="StoreEngine"/> subclass in this folder (it is compiled into
/// the test project and the writer child), add its line below, and reference the engine's project from
/// tests/Engines.props (imported by both projects). Every test class under Conformance/ then runs for it: the theories
/// take their engine names from <c>StoreEngines.All</c> (or <c>StoreEngines.With(capability)</c> for the tests of an
/// optional <see cref="StoreCapability"/>, which the engine declares through <see cref="StoreEngine.Lacks"/>).
/// </remarks>
public static partial class StoreEngines
{
    /// <summary>Every engine, by name.</summary>
    public static IReadOnlyList<StoreEngine> Registered { get; } =
    [
        new FileStoreEngine(),
        new SqliteStoreEngine(),
        .. PostgresStoreEngine.WhereAServerCanRun,
    ];

    /// <summary>The engine named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such engine.</exception>
    public static StoreEngine Get(string name) =>
        Registered.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"No store engine named \"{name}\"; known: {string.Join(", ", Registered.Select(e => e.Name))}.", nameof(name));
}
