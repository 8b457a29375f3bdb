using Microsoft.Extensions.DependencyInjection;

namespace SessionKinds.Hosting;

/// <summary>
/// Configures SessionKinds in a service collection: returned by <c>AddSessionKinds</c>, extended by
/// <c>AddGeneratedTasks()</c> (generated into each task assembly), <c>AddTasks</c>, <c>UseFileStore</c> and
/// <c>UseStore</c>, and by the store engines' own packages (<c>UseSqlite</c>, <c>UsePostgres</c>) through
/// <c>UseStore</c> (its asynchronous overload for a store that opens asynchronously).
/// </summary>
public interface ISessionKindsBuilder
{
    /// <summary>The service collection SessionKinds is added to.</summary>
    IServiceCollection Services { get; }
}
