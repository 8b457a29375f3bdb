using SessionKinds.Persistence.Json;
using SessionKinds.Engines;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// <c>heartbeat-state.json</c>:
/// <c>{"lastAck": ms, "consecutiveOKs": n, "lastAlert": ms, "lastAlertSummary": "…", "tasks": {"&lt;task&gt;": {…same figures}}}</c>.
/// Fields the store does not own are kept byte for byte. Repair rules: a timestamp that is not an integer in
/// 0..253402300799999 is dropped (and replaced by the next event); a count that is not an integer in 0..2147483647
/// restarts at 0; counts saturate at 2147483647; a <c>tasks</c> value (or a task's value) that is not an object is replaced.
/// </summary>
internal static class HeartbeatStateFile
{
    private const string LastAckField = "lastAck";
    private const string ConsecutiveOksField = "consecutiveOKs";
    private const string LastAlertField = "lastAlert";
    private const string LastAlertSummaryField = "lastAlertSummary";
    private const string TasksField = "tasks";

    public static RawJsonObject Parse(ReadOnlyMemory<byte> content) => RawJsonObject.ParseFile(content, AgentFileNameRules.HeartbeatState);

    /// <summary>Stages the state with one more heartbeat result, agent-wide and under the task.</summary>
    public static void Stage(FolderCommit commit, string path, RawJsonObject? current, HeartbeatStateUpdate update)
    {
        var agentWide = Figures(current, update);
        RawJsonObject? tasks = null;
        if (current is not null && current.TryGet(TasksField, out var rawTasks) && RawJsonObject.TryParseValue(rawTasks, out var parsed))
        {
            tasks = parsed;
        }

        RawJsonObject? task = null;
        if (tasks is not null && tasks.TryGet(update.Task, out var rawTask) && RawJsonObject.TryParseValue(rawTask, out var parsedTask))
        {
            task = parsedTask;
        }

        var taskFigures = Figures(task, update);
        var tasksRewrite = new JsonObjectRewrite().SetWith(update.Task, w => taskFigures.WriteTo(w, task));
        agentWide.SetWith(TasksField, w => tasksRewrite.WriteTo(w, tasks));
        var bytes = JsonValues.Serialize(512, JsonValues.FileWriterOptions, (agentWide, current), static (w, s) => s.agentWide.WriteTo(w, s.current));
        commit.Replace(path, bytes.WrittenMemory);
    }

    public static HeartbeatState Read(RawJsonObject? current)
    {
        var tasks = new Dictionary<string, HeartbeatTaskState>(StringComparer.Ordinal);
        if (current is null)
        {
            return new HeartbeatState(null, 0, null, null, tasks);
        }

        if (current.TryGet(TasksField, out var rawTasks) && RawJsonObject.TryParseValue(rawTasks, out var taskObject))
        {
            foreach (var member in taskObject.Members)
            {
                if (RawJsonObject.TryParseValue(member.Value, out var task))
                {
                    tasks[member.Name] = new HeartbeatTaskState(Time(task, LastAckField), Count(task), Time(task, LastAlertField));
                }
            }
        }

        return new HeartbeatState(
            Time(current, LastAckField), Count(current), Time(current, LastAlertField), JsonValues.ReadString(current, LastAlertSummaryField), tasks);
    }

    /// <summary>The rewrite of one set of figures (agent-wide or a task's); an ack leaves the last alert and its summary as they are.</summary>
    private static JsonObjectRewrite Figures(RawJsonObject? current, HeartbeatStateUpdate update)
    {
        var at = update.At.ToUnixTimeMilliseconds();
        var rewrite = new JsonObjectRewrite();
        if (update.IsAck)
        {
            var count = current is null ? 0 : Count(current);
            return rewrite
                .Set(LastAckField, at)
                .Set(ConsecutiveOksField, count == int.MaxValue ? int.MaxValue : count + 1)
                .Set(LastAlertField, ValidTime(current, LastAlertField));
        }

        return rewrite
            .Set(LastAckField, ValidTime(current, LastAckField))
            .Set(ConsecutiveOksField, 0L)
            .Set(LastAlertField, at)
            .Set(LastAlertSummaryField, update.AlertSummary ?? string.Empty);
    }

    private static long? ValidTime(RawJsonObject? obj, string name) =>
        obj is not null && obj.TryGet(name, out var raw) ? JsonValues.ReadEpochMilliseconds(raw) : null;

    private static DateTimeOffset? Time(RawJsonObject obj, string name) =>
        ValidTime(obj, name) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static int Count(RawJsonObject obj) =>
        obj.TryGet(ConsecutiveOksField, out var raw) ? JsonValues.ReadCount(raw) ?? 0 : 0;
}
