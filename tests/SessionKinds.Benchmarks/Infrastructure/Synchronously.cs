namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>
/// Runs the store's asynchronous operations from the synchronous benchmark methods. With no other writer the file
/// store's completions finish without yielding, so this adds no scheduling to what is measured; when one does yield
/// it is waited for like any caller would.
/// </summary>
internal static class Synchronously
{
    public static T Wait<T>(ValueTask<T> operation) =>
        operation.IsCompletedSuccessfully ? operation.Result : operation.AsTask().GetAwaiter().GetResult();

    public static void Wait(ValueTask operation)
    {
        if (!operation.IsCompletedSuccessfully)
        {
            operation.AsTask().GetAwaiter().GetResult();
        }
    }
}
