using SessionKinds.Hosting.Tests.Nodes;

namespace SessionKinds.Hosting.Tests;

/// <summary>The test assembly's entry point: <c>node …</c> runs one host of the multi-process tests; anything else does nothing.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) =>
        args is ["node", .. var rest] ? NodeProcess.RunAsync(rest) : Task.FromResult(0);
}
