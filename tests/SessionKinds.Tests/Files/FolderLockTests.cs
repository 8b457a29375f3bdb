using System.Diagnostics;
using System.Text.Json;
using SessionKinds.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionKinds.Tests.Files;

/// <summary>
/// The folder lock (<c>.sessionkinds.lock</c> plus an in-process gate): a timeout names the holder; the operating system
/// releases a killed holder's lock at once; one busy process cannot starve another.
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class FolderLockTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Guarantees")]
    public async Task A_held_lock_times_out_naming_its_owner_and_a_waiting_writer_gets_it_once_the_owner_is_SIGKILLed()
    {
        await using var f = FolderUnderTest.Create();
        using var holder = RunningWriter.Start(WriterChild.Arguments("hold-lock", f.Agent));
        await holder.WaitForLinesAsync(1).WaitAsync(TimeSpan.FromSeconds(120));

        // A short timeout: the error names the lock file and the holder recorded in the owner record.
        await using (var impatient = f.Open(o => o.LockTimeout = TimeSpan.FromMilliseconds(300)))
        {
            var ex = await Assert.ThrowsAsync<SessionStoreLockTimeoutException>(async () => await impatient.CompleteAsync(impatient.StartSession(SessionKind.User, "k"), "r"));
            Assert.Equal((holder.Id, Environment.MachineName.Length > 40 ? Environment.MachineName[..40] : Environment.MachineName), (ex.OwnerProcessId, ex.OwnerHost));
            Assert.Equal(f.Store.LockFilePath, ex.Location);
            Assert.Equal(TimeSpan.FromMilliseconds(300), ex.Timeout);
            Assert.NotNull(ex.OwnerSince);
            Assert.Contains(f.Store.LockFilePath, ex.Message, StringComparison.Ordinal);
            Assert.Contains($"held by pid {holder.Id} on ", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Timed out after 0.3 s", ex.Message, StringComparison.Ordinal);
            Assert.Contains("FileSessionStoreOptions.LockTimeout", ex.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(f.SessionsPath));
        }

        // A patient writer waits; SIGKILL the holder: the operating system drops its lock and the waiter completes.
        var write = f.Store.CompleteAsync(f.Store.StartSession(SessionKind.User, "agent:main:main", "hi"), "hello").AsTask();
        Assert.False(write.IsCompleted, "the write did not wait for the held lock");
        var sinceKill = Stopwatch.StartNew();
        var exit = await holder.KillAsync(TimeSpan.FromSeconds(120));
        var outcome = await write.WaitAsync(TimeSpan.FromSeconds(120));
        sinceKill.Stop();

        Assert.True(exit.WasRunning);
        Assert.Equal(outcome.SessionId, (await f.Store.FindSessionAsync("agent:main:main"))!.SessionId);
        using var owner = JsonDocument.Parse(File.ReadAllBytes(f.File(".sessionkinds.lock.owner")));
        Assert.Equal(Environment.ProcessId, owner.RootElement.GetProperty("pid").GetInt32());
        output.WriteLine($"Lock recovery: a waiting writer completed {sinceKill.Elapsed.TotalMilliseconds:F0} ms after the SIGKILL of the holder (including reaping it; the waiter polls every few ms)");
    }

    [Fact]
    public async Task A_killed_holders_lock_is_free_on_the_first_try_for_a_new_process()
    {
        await using var f = FolderUnderTest.Create();
        using (var holder = RunningWriter.Start(WriterChild.Arguments("hold-lock", f.Agent)))
        {
            await holder.WaitForLinesAsync(1).WaitAsync(TimeSpan.FromSeconds(120));
            var (busy, busyOutput, _) = await WriterChild.RunAsync(TimeSpan.FromSeconds(120), WriterChild.Arguments("try-lock", f.Agent));
            Assert.Equal((3, "busy"), (busy, busyOutput.Trim()));
            Assert.Null(await f.Agent.TryHoldWriteLockNowAsync());
            await holder.KillAsync(TimeSpan.FromSeconds(120));
        }

        var (code, text, error) = await WriterChild.RunAsync(TimeSpan.FromSeconds(120), WriterChild.Arguments("try-lock", f.Agent));
        Assert.True(code == 0, $"{text} {error}");
        Assert.StartsWith("locked ", text, StringComparison.Ordinal);
        await using var held = await f.Agent.TryHoldWriteLockNowAsync();
        Assert.NotNull(held);
    }

    [Fact]
    public async Task A_process_writing_back_to_back_steps_aside_for_another_that_waits()
    {
        await using var f = FolderUnderTest.Create();

        // A child writes user sessions back to back, far more than it can finish during this test.
        using var busy = RunningWriter.Start(WriterChild.Arguments("users", f.Agent, "1000000", "busy"));
        await Task.Run(async () =>
        {
            while (!File.Exists(f.SessionsPath))
            {
                await Task.Delay(5);
            }
        }).WaitAsync(TimeSpan.FromSeconds(120));

        // This process gets its turns while the child is still writing: it is never starved until the child is done.
        await using var patient = f.Open(o => o.LockTimeout = TimeSpan.FromSeconds(60));
        for (var i = 0; i < 20; i++)
        {
            await patient.CompleteAsync(patient.StartSession(SessionKind.User, $"patient:{i}"), "r");
        }

        var childWrites = (await patient.ReadSessionsAsync()).Count(e => e.Key.StartsWith("busy:", StringComparison.Ordinal));
        var exit = await busy.KillAsync(TimeSpan.FromSeconds(120));

        Assert.True(exit.WasRunning, $"the busy child finished first ({exit.ExitCode}): this process only got the lock when it was done");
        Assert.Equal(20, (await patient.ReadSessionsAsync()).Count(e => e.Key.StartsWith("patient:", StringComparison.Ordinal)));
        Assert.True(File.Exists(f.File(".sessionkinds.lock.wait")), "the waiter never announced itself");
        output.WriteLine($"Fairness: 20 writes got the lock while another process wrote back to back ({childWrites} of its writes meanwhile)");
    }
}
