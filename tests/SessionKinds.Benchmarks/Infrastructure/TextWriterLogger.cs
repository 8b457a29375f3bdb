using BenchmarkDotNet.Loggers;

namespace SessionKinds.Benchmarks.Infrastructure;

/// <summary>A BenchmarkDotNet logger that writes to any <see cref="TextWriter"/> (a test's output, a file).</summary>
internal sealed class TextWriterLogger(TextWriter writer) : ILogger
{
    public string Id => nameof(TextWriterLogger);

    public int Priority => 0;

    public void Write(LogKind logKind, string text) => writer.Write(text);

    public void WriteLine() => writer.WriteLine();

    public void WriteLine(LogKind logKind, string text) => writer.WriteLine(text);

    public void Flush() => writer.Flush();
}
