using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SessionKinds.Hosting;

/// <summary>
/// The <c>SessionKinds</c> meter, created through <see cref="IMeterFactory"/>:
/// <list type="bullet">
/// <item><c>sessionkinds.runs</c> (counter, <c>{run}</c>): every scheduled occurrence this host settled, tagged
/// <c>sessionkinds.kind</c> (<c>heartbeat</c>, <c>cron</c>), <c>sessionkinds.task</c> and <c>sessionkinds.verdict</c>
/// (<c>ack</c>, <c>alert</c>, <c>output</c>, <c>silent</c>, <c>failed</c>, <c>skipped</c>, <c>cancelled</c>, <c>superseded</c>).</item>
/// <item><c>sessionkinds.persisted.bytes</c> (counter, <c>By</c>): the UTF-8 bytes of the messages a run persisted to a
/// transcript (prompt and reply, or the reply's messages with their data), tagged with kind and task. Engines do not report
/// the bytes they write on disk (JSON framing, the entry, rewrites of <c>sessions.json</c>), so this counts what the route
/// chose to keep — the part SessionKinds saves — and is zero for acks and silent runs.</item>
/// <item><c>sessionkinds.schedule.lag</c> (histogram, <c>s</c>): how late a run started after its occurrence was due.</item>
/// <item><c>sessionkinds.run.duration</c> (histogram, <c>s</c>): how long a run took, store commit included.</item>
/// <item><c>sessionkinds.occurrences.taken_over</c> (counter): occurrences this host took over after another host's lease ran out.</item>
/// </list>
/// </summary>
internal sealed class SessionKindsMetrics
{
    public const string MeterName = "SessionKinds";

    private readonly Counter<long> _runs;
    private readonly Counter<long> _persistedBytes;
    private readonly Histogram<double> _lag;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _takenOver;

    public SessionKindsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _runs = meter.CreateCounter<long>("sessionkinds.runs", "{run}", "Scheduled occurrences settled by this host, by kind, task and verdict.");
        _persistedBytes = meter.CreateCounter<long>("sessionkinds.persisted.bytes", "By", "UTF-8 bytes of the messages runs persisted to transcripts.");
        _lag = meter.CreateHistogram<double>("sessionkinds.schedule.lag", "s", "How late runs started after their occurrence was due.");
        _duration = meter.CreateHistogram<double>("sessionkinds.run.duration", "s", "How long scheduled runs took.");
        _takenOver = meter.CreateCounter<long>("sessionkinds.occurrences.taken_over", "{occurrence}", "Occurrences taken over after another host's lease ran out.");
    }

    public void Run(TaskPlan plan, string verdict) => _runs.Add(1, Tags(plan, verdict));

    public void Persisted(TaskPlan plan, long bytes)
    {
        if (bytes > 0)
        {
            _persistedBytes.Add(bytes, Tags(plan, null));
        }
    }

    public void Lag(TaskPlan plan, TimeSpan lag) => _lag.Record(Math.Max(0, lag.TotalSeconds), Tags(plan, null));

    public void Duration(TaskPlan plan, TimeSpan duration) => _duration.Record(Math.Max(0, duration.TotalSeconds), Tags(plan, null));

    public void TakenOver(TaskPlan plan) => _takenOver.Add(1, Tags(plan, null));

    private static TagList Tags(TaskPlan plan, string? verdict)
    {
        var tags = new TagList
        {
            { "sessionkinds.kind", plan.Kind == SessionKind.Heartbeat ? "heartbeat" : "cron" },
            { "sessionkinds.task", plan.Name },
        };
        if (verdict is not null)
        {
            tags.Add("sessionkinds.verdict", verdict);
        }

        return tags;
    }
}
