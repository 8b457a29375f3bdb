namespace SessionKinds.Tests.Engines;

/// <summary>The engine catalog (tests/Shared/Engines/StoreEngines.cs) as xUnit theory data.</summary>
public static partial class StoreEngines
{
    /// <summary>Every registered engine's name: the data of every conformance theory.</summary>
    public static TheoryData<string> All => new(Registered.Select(e => e.Name));

    /// <summary>The engines that have <paramref name="capability"/> (the others state why not; EngineCatalogTests checks that).</summary>
    public static TheoryData<string> With(StoreCapability capability) => new(Registered.Where(e => e.Lacks(capability) is null).Select(e => e.Name));
}
