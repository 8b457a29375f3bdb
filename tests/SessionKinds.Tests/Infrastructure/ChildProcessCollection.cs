namespace SessionKinds.Tests.Infrastructure;

/// <summary>
/// The suites that drive several child processes run alone (not beside other test classes), so their writers compete
/// only with each other on a small CI machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChildProcessCollection
{
    public const string Name = "Child processes";
}
