using System.Globalization;
using System.Text;
using SessionKinds.Tool.Cli;
using SessionKinds.Tool.Store;

namespace SessionKinds.Tool.Compact;

/// <summary>
/// The gateway's own store lock, <c>sessions.json.lock</c> beside the store: the gateway creates it while it rewrites
/// <c>sessions.json</c> and deletes it after. While it exists and is fresh, compact refuses. It is <b>stale</b> when its
/// last modification is older than the stale age (default 5 minutes: the gateway holds it only for one rewrite, which takes
/// seconds even on a 50 MB store), e.g. left behind by a gateway that was killed; a stale lock is replaced. While compact
/// rewrites the store it holds this lock itself (created exclusively, so a gateway starting a write meanwhile waits or
/// fails instead of overwriting the compacted file), and deletes it when done.
/// </summary>
internal sealed class GatewayLock : IDisposable
{
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(5);

    private readonly string _path;
    private readonly byte[] _content;

    private GatewayLock(string path, byte[] content)
    {
        _path = path;
        _content = content;
    }

    /// <summary>Refuses while a fresh gateway lock exists; returns a note when a stale one is there, otherwise <see langword="null"/>.</summary>
    /// <exception cref="InputException">The gateway holds the lock.</exception>
    public static string? Check(StoreLocation location, TimeSpan staleAfter, TimeProvider time)
    {
        var path = location.GatewayLockPath;
        var info = new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null)
        {
            return null;
        }

        var age = time.GetUtcNow() - new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        if (age < staleAfter)
        {
            throw new InputException(
                $"{path} exists (written {Durations.Age(age)} ago): the gateway is writing this store right now, so nothing was changed. " +
                $"Wait for it to finish, or stop the gateway, and run sessionkinds compact again. A lock older than {Durations.Format(staleAfter)} counts as stale " +
                "(left by a gateway that died) and is replaced; change that age with --lock-stale.");
        }

        return $"{path} is {Durations.Age(age)} old, older than {Durations.Format(staleAfter)}: a stale lock, replaced while compacting.";
    }

    /// <summary>Takes the gateway lock for the rewrite: replaces a stale one, then creates the file exclusively.</summary>
    /// <exception cref="InputException">The gateway took the lock meanwhile, or it cannot be created.</exception>
    public static GatewayLock Acquire(StoreLocation location, TimeSpan staleAfter, TimeProvider time)
    {
        if (Check(location, staleAfter, time) is not null)
        {
            try
            {
                File.Delete(location.GatewayLockPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InputException($"The stale lock {location.GatewayLockPath} could not be removed ({ex.Message}), so nothing was changed. Remove it by hand once you are sure the gateway is stopped.");
            }
        }

        var content = Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"pid\":{Environment.ProcessId},\"createdAt\":{time.GetUtcNow().ToUnixTimeMilliseconds()},\"by\":\"sessionkinds compact\"}}\n"));
        try
        {
            using var stream = new FileStream(location.GatewayLockPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(content);
        }
        catch (IOException) when (File.Exists(location.GatewayLockPath))
        {
            throw new InputException(
                $"{location.GatewayLockPath} appeared while compact was planning: the gateway started writing this store, so nothing was changed. Run sessionkinds compact again when it is done.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{location.GatewayLockPath} could not be created ({ex.Message}), so nothing was changed. Check that the agent folder is writable by you.");
        }

        return new GatewayLock(location.GatewayLockPath, content);
    }

    /// <summary>Deletes the lock when it is still the one this process wrote.</summary>
    public void Dispose()
    {
        try
        {
            if (File.Exists(_path) && File.ReadAllBytes(_path).AsSpan().SequenceEqual(_content))
            {
                File.Delete(_path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind, it turns stale after the stale age and is replaced then.
        }
    }
}
