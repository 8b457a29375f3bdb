using System.Diagnostics;
using System.Text;

namespace SessionKinds.IntegrationTests.Infrastructure;

/// <summary>The result of one CLI run: exit code and everything it printed.</summary>
internal sealed record CliResult(string Command, int ExitCode, string Output)
{
    /// <summary>Throws with the whole output when the command failed, so a failing test shows why.</summary>
    public CliResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"`{Command}` exited with {ExitCode}:\n{Output}");
        }

        return this;
    }
}

/// <summary>Runs the real <c>dotnet</c> CLI (and built consumer programs) as child processes.</summary>
internal static class DotNetCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/>. Build servers are disabled: a compiler server
    /// left running would hold this process's output pipe open and outlive the test run.
    /// </summary>
    public static Task<CliResult> RunAsync(string workingDirectory, params string[] arguments) =>
        RunProcessAsync("dotnet", workingDirectory, arguments);

    /// <summary>Runs any program (e.g. a built consumer) and captures its output.</summary>
    public static async Task<CliResult> RunProcessAsync(string fileName, string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        // The test host's own MSBuild settings must not leak into the consumer builds.
        foreach (var leaked in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "VSTEST_HOST_DEBUG" })
        {
            start.Environment.Remove(leaked);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        var command = $"{fileName} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start `{command}`.");
        var output = new StringBuilder();
        var lockObject = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {Timeout.TotalMinutes} minutes:\n{output}");
        }

        lock (lockObject)
        {
            return new CliResult(command, process.ExitCode, output.ToString());
        }
    }
}
