using System.Text.Json;

namespace SessionKinds.Internal;

/// <summary>
/// Reads and rewrites <c>heartbeat-state.json</c>:
/// <c>{"lastAck": ms, "consecutiveOKs": n, "lastAlert": ms, "lastAlertSummary": "…", "tasks": {"&lt;task&gt;": {…same fields}}}</c>.
/// Fields the store does not own are copied raw. Repair rules: a timestamp that is not an integer in
/// 0..253402300799999 is dropped (and replaced by the next event); a count that is not an integer in
/// 0..2147483647 restarts at 0; counts saturate at 2147483647; a <c>tasks</c> value that is not an object is replaced.
/// </summary>
internal sealed class HeartbeatStateStore
{
    public const string LastAckField = "lastAck";
    public const string ConsecutiveOksField = "consecutiveOKs";
    public const string LastAlertField = "lastAlert";
    public const string LastAlertSummaryField = "lastAlertSummary";
    public const string TasksField = "tasks";

    private readonly TimeProvider _time;
    private readonly FolderLock _lock;

    public HeartbeatStateStore(string folder, TimeProvider time, FolderLock folderLock)
    {
        Path = System.IO.Path.Combine(folder, AgentFileNameRules.HeartbeatState);
        _time = time;
        _lock = folderLock;
    }

    public string Path { get; }

    public RawJsonObject? LoadForUpdate() => StoreFile.LoadForUpdate(Path, _time, Parse);

    /// <summary>Records one heartbeat result agent-wide and under <paramref name="task"/>.</summary>
    public void Save(RawJsonObject? current, string task, bool isAck, long nowMs, string? alertSummary, int sizeHint)
    {
        var update = new Update(isAck, nowMs, alertSummary, task);
        var buffer = JsonValues.Serialize(sizeHint + 256, JsonValues.FileWriterOptions, (current, update), static (w, s) => WriteState(w, s.current, s.update, topLevel: true));
        DurableFile.ReplaceAtomically(Path, buffer.WrittenSpan);
    }

    public HeartbeatState Read()
    {
        var current = StoreFile.LoadForRead(Path, _time, _lock, Parse);
        if (current is null)
        {
            return new HeartbeatState(null, 0, null, null, new Dictionary<string, HeartbeatTaskState>(StringComparer.Ordinal));
        }

        var tasks = new Dictionary<string, HeartbeatTaskState>(StringComparer.Ordinal);
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

    private static RawJsonObject Parse(ReadOnlyMemory<byte> content) => RawJsonObject.ParseFile(content, AgentFileNameRules.HeartbeatState);

    private static DateTimeOffset? Time(RawJsonObject obj, string name) =>
        obj.TryGet(name, out var raw) && JsonValues.ReadEpochMilliseconds(raw) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static int Count(RawJsonObject obj) =>
        obj.TryGet(ConsecutiveOksField, out var raw) ? JsonValues.ReadCount(raw) ?? 0 : 0;

    private static void WriteState(Utf8JsonWriter writer, RawJsonObject? current, in Update update, bool topLevel)
    {
        long? lastAck = null, lastAlert = null;
        var count = 0;
        string? summary = null;
        if (current is not null)
        {
            lastAck = current.TryGet(LastAckField, out var a) ? JsonValues.ReadEpochMilliseconds(a) : null;
            lastAlert = current.TryGet(LastAlertField, out var b) ? JsonValues.ReadEpochMilliseconds(b) : null;
            count = Count(current);
        }

        if (update.IsAck)
        {
            lastAck = update.NowMs;
            count = count == int.MaxValue ? int.MaxValue : count + 1;
        }
        else
        {
            lastAlert = update.NowMs;
            count = 0;
            summary = update.AlertSummary ?? string.Empty;
        }

        writer.WriteStartObject();
        bool wroteAck = false, wroteCount = false, wroteAlert = false, wroteSummary = false, wroteTasks = false;
        if (current is not null)
        {
            foreach (var member in current.Members)
            {
                switch (member.Name)
                {
                    case LastAckField:
                        WriteOptionalNumber(writer, LastAckField, lastAck);
                        wroteAck = true;
                        break;
                    case ConsecutiveOksField:
                        writer.WriteNumber(ConsecutiveOksField, count);
                        wroteCount = true;
                        break;
                    case LastAlertField:
                        WriteOptionalNumber(writer, LastAlertField, lastAlert);
                        wroteAlert = true;
                        break;
                    case LastAlertSummaryField when update.IsAck:
                        JsonValues.WriteRaw(writer, member); // an ack leaves the last alert's summary as it is
                        wroteSummary = true;
                        break;
                    case LastAlertSummaryField:
                        WriteOptionalString(writer, LastAlertSummaryField, summary);
                        wroteSummary = true;
                        break;
                    case TasksField when topLevel:
                        WriteTasks(writer, member.Value, update);
                        wroteTasks = true;
                        break;
                    default:
                        JsonValues.WriteRaw(writer, member);
                        break;
                }
            }
        }

        if (!wroteAck)
        {
            WriteOptionalNumber(writer, LastAckField, lastAck);
        }

        if (!wroteCount)
        {
            writer.WriteNumber(ConsecutiveOksField, count);
        }

        if (!wroteAlert)
        {
            WriteOptionalNumber(writer, LastAlertField, lastAlert);
        }

        if (!wroteSummary)
        {
            WriteOptionalString(writer, LastAlertSummaryField, summary);
        }

        if (topLevel && !wroteTasks)
        {
            WriteTasks(writer, ReadOnlyMemory<byte>.Empty, update);
        }

        writer.WriteEndObject();
    }

    private static void WriteTasks(Utf8JsonWriter writer, ReadOnlyMemory<byte> raw, in Update update)
    {
        writer.WritePropertyName(TasksField);
        writer.WriteStartObject();
        var wroteTask = false;
        if (!raw.IsEmpty && RawJsonObject.TryParseValue(raw, out var tasks))
        {
            foreach (var member in tasks.Members)
            {
                if (member.Name == update.Task)
                {
                    writer.WritePropertyName(member.Name);
                    WriteState(writer, RawJsonObject.TryParseValue(member.Value, out var task) ? task : null, update, topLevel: false);
                    wroteTask = true;
                }
                else
                {
                    JsonValues.WriteRaw(writer, member);
                }
            }
        }

        if (!wroteTask)
        {
            writer.WritePropertyName(update.Task);
            WriteState(writer, null, update, topLevel: false);
        }

        writer.WriteEndObject();
    }

    private static void WriteOptionalNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is long v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void WriteOptionalString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private readonly record struct Update(bool IsAck, long NowMs, string? AlertSummary, string Task);
}
