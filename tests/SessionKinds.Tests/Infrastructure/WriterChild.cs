using System.Diagnostics;
using System.Reflection;
using SessionKinds.Tests.Engines;

namespace SessionKinds.Tests.Infrastructure;

/// <summary>Starts the SessionKinds.WriterProcess child (built by the test project's ProjectReference) with <c>dotnet &lt;dll&gt;</c>.</summary>
public static class WriterChild
{
    /// <summary>The child's dll, recorded at build time from the referenced project's actual output.</summary>
    public static string DllPath { get; } = typeof(WriterChild).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SessionKinds.WriterProcessPath")
        .Value!;

    /// <summary>The command line of <paramref name="mode"/> on <paramref name="agent"/>: mode, engine, agent arguments, <c>--</c>, mode arguments.</summary>
    public static string[] Arguments(string mode, StoreAgent agent, params string[] modeArguments) =>
        [mode, agent.Engine.Name, .. agent.Arguments, "--", .. modeArguments];

    public static Process Start(params string[] arguments)
    {
        Assert.True(File.Exists(DllPath), $"The writer process was not built: {DllPath}");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start the writer process");
    }

    /// <summary>Runs the child to completion; returns (exit code, stdout, stderr).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"writer process {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        return (process.ExitCode, await output, await error);
    }

    private static string DotnetHost()
    {
        // The SDK sets DOTNET_HOST_PATH for test runs; the test host itself runs under dotnet otherwise.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? self : "dotnet";
    }
}
