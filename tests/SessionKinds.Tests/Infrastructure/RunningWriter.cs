using System.Diagnostics;
using System.Text;

namespace SessionKinds.Tests.Infrastructure;

/// <summary>
/// A <see cref="WriterChild"/> child whose standard output is collected as it arrives. Only complete lines (ending in
/// a newline) count: a line the child had not finished writing when it was killed is dropped, never half-parsed.
/// </summary>
public sealed class RunningWriter : IDisposable
{
    private readonly Process _process;
    private readonly Task _stdout;
    private readonly Task<string> _stderr;
    private readonly List<string> _lines = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private bool _ended;
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();

    private RunningWriter(Process process)
    {
        _process = process;
        _stdout = Task.Run(ReadStdoutAsync);
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>How long ago the child was started.</summary>
    public TimeSpan SinceStart => _sinceStart.Elapsed;

    /// <summary>Completes when the child has written <paramref name="count"/> complete lines, or its output ended.</summary>
    public Task WaitForLinesAsync(int count)
    {
        lock (_lines)
        {
            if (_ended || _lines.Count >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }

    public static RunningWriter Start(params string[] arguments) => new(WriterChild.Start(arguments));

    /// <summary>Kills the child (SIGKILL on Unix), waits until it is reaped and its output is drained.</summary>
    /// <returns>The complete lines it wrote, its standard error, whether it was still running when killed, and its exit code.</returns>
    public async Task<WriterExit> KillAsync(TimeSpan timeout)
    {
        var wasRunning = !_process.HasExited;
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            wasRunning = false; // it had exited on its own
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await _stdout.WaitAsync(cts.Token);
        var error = await _stderr.WaitAsync(cts.Token);
        lock (_lines)
        {
            return new WriterExit([.. _lines], error, wasRunning, _process.ExitCode);
        }
    }

    /// <summary>Waits until the child exits on its own (or dies by its own hand) and its output is drained.</summary>
    public async Task<WriterExit> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await _stdout.WaitAsync(cts.Token);
        var error = await _stderr.WaitAsync(cts.Token);
        lock (_lines)
        {
            return new WriterExit([.. _lines], error, WasRunning: false, _process.ExitCode);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private async Task ReadStdoutAsync()
    {
        var stream = _process.StandardOutput.BaseStream;
        var pending = new List<byte>(256);
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        pending.Add(buffer[i]);
                        continue;
                    }

                    var line = Encoding.UTF8.GetString([.. pending]).TrimEnd('\r');
                    pending.Clear();
                    lock (_lines)
                    {
                        _lines.Add(line);
                        Release(all: false);
                    }
                }
            }
        }
        finally
        {
            lock (_lines)
            {
                _ended = true;
                Release(all: true); // output ended: nobody should wait for more lines
            }
        }
    }

    private void Release(bool all)
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (all || _lines.Count >= _waiters[i].Count)
            {
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }
}

/// <summary>How a killed <see cref="RunningWriter"/> ended.</summary>
/// <param name="Lines">The complete lines it wrote before it died.</param>
/// <param name="Error">Its standard error.</param>
/// <param name="WasRunning">Whether it was still running when the kill was sent (false: it had exited on its own).</param>
/// <param name="ExitCode">Its exit code (137 = 128 + SIGKILL on Unix).</param>
public sealed record WriterExit(IReadOnlyList<string> Lines, string Error, bool WasRunning, int ExitCode);
