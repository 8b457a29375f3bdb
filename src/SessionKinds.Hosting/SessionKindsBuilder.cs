using Microsoft.Extensions.DependencyInjection;

namespace SessionKinds.Hosting;

/// <summary>The builder <c>AddSessionKinds</c> returns.</summary>
internal sealed class SessionKindsBuilder(IServiceCollection services) : ISessionKindsBuilder
{
    public IServiceCollection Services { get; } = services;
}
