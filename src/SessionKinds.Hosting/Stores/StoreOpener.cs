using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SessionKinds.Hosting;

/// <summary>
/// The store of <c>UseStore(openAsync)</c>: opened once, asynchronously, when the host starts (a database engine connects
/// and creates or migrates its schema), then handed out as the <see cref="SessionStore"/> singleton. Disposes the store
/// with the container.
/// </summary>
internal sealed class StoreOpener(IServiceProvider services, Func<IServiceProvider, CancellationToken, ValueTask<SessionStore>> openAsync) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SessionStore? _store;
    private Exception? _failure;
    private int _disposed;

    /// <summary>The open store.</summary>
    /// <exception cref="InvalidOperationException">The host has not started yet, or opening the store failed.</exception>
    public SessionStore Store => Volatile.Read(ref _store) ?? throw new InvalidOperationException(
        _failure is { } failure
            ? $"The SessionKinds store could not be opened when the host started: {failure.Message}"
            : "The SessionKinds store opens asynchronously when the host starts (UsePostgres, or UseStore with an async factory), so SessionStore " +
              "cannot be resolved before IHost.StartAsync: resolve it after the host has started (e.g. in a hosted service's StartAsync or a request), " +
              "not in a constructor that runs while the host is built.",
        _failure);

    /// <summary>Opens the store unless it is open (callers take turns; a failed or cancelled opening is tried again by the next caller).</summary>
    public async ValueTask<SessionStore> OpenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _store) is { } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_store is null)
            {
                try
                {
                    var store = await openAsync(services, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException("The factory passed to UseStore returned null instead of a SessionStore.");
                    _failure = null;
                    Volatile.Write(ref _store, store);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _failure = ex;
                    throw;
                }
            }

            return _store;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_store is { } store)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release(); // not disposed: a caller still waiting for it gets ObjectDisposedException above, not a hang
        }
    }
}

/// <summary>
/// Opens the store of <c>UseStore(openAsync)</c> when the host starts, before any hosted service's <c>StartAsync</c> (so every
/// one of them can resolve <see cref="SessionStore"/>); a store that cannot be opened fails the host's start.
/// </summary>
internal sealed class StoreOpeningService(IServiceProvider services) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<StoreOpener>() is { } opener)
        {
            await opener.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
