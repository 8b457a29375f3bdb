namespace SessionKinds.Tests.Postgres;

/// <summary>
/// The test process's throwaway PostgreSQL server (<see cref="PostgresTestServer.Shared"/>), or an xUnit skip that says
/// why there is none — never in CI or as root, where a server that cannot start fails the test. Compiled into the test
/// projects only (it needs Xunit.SkippableFact); the writer child and the benchmarks use the server directly.
/// </summary>
internal static class PostgresServerOrSkip
{
    public static PostgresTestServer Get()
    {
        Skip.If(PostgresTestServer.Unavailable is not null, PostgresTestServer.Unavailable);
        try
        {
            return PostgresTestServer.Shared;
        }
        catch (PostgresUnavailableException ex) when (ex.MaySkip)
        {
            throw new SkipException($"PostgreSQL tests skipped: the test server could not start here ({ex.Message}). CI and root runs fail instead.");
        }
    }
}
