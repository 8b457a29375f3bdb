using System.Buffers;
using System.Text.Json;
using SessionKinds.Persistence.Files.Locking;
using SessionKinds.Persistence.Json;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// Applies one completion to an agent folder as a unit, under the folder lock: every file it changes lands, or none does,
/// even when the process is killed half way.
/// </summary>
/// <remarks>
/// <para>Protocol. (1) Every JSON file and archive the commit writes is staged as a temp file beside its target and flushed
/// to disk. (2) A transcript append is preceded by a <c>prepared</c> record naming the transcript, its length and the
/// number of bytes appended, then appended and flushed. (3) The <c>committed</c> record listing the renames is written: this is the commit point.
/// (4) The temps are renamed over their targets. (5) The record is cleared. A failure before (3) undoes (2) and deletes
/// the temps, so nothing is written.</para>
/// <para>The record lives in the lock file, after its owner record (<see cref="FolderLock.Held.WriteCommitRecord"/>): the
/// holder already has that file open, so recording costs a write, not a file. The next holder of the lock recovers a
/// record a killed writer left (<see cref="Recover"/>): a <c>prepared</c> one is undone (the transcript cut back), a
/// <c>committed</c> one finished (the remaining renames done). Records are not flushed: they guard against a process
/// crash; each file on its own is flushed before it is renamed into place.</para>
/// </remarks>
internal sealed class FolderCommit
{
    private const string PreparedState = "prepared";
    private const string CommittedState = "committed";

    private readonly string _folder;
    private readonly FolderLock.Held _lock;
    private readonly List<(string Temp, string Target, bool CreateNew)> _staged = [];
    private (string Path, long Before, long Appended)? _undo;
    private bool _committed;

    public FolderCommit(string folder, FolderLock.Held held)
    {
        _folder = folder;
        _lock = held;
    }

    /// <summary>Stages the new content of <paramref name="target"/>.</summary>
    public void Replace(string target, ReadOnlyMemory<byte> content) =>
        _staged.Add((DurableFile.Stage(target, content, static (stream, bytes) => stream.Write(bytes.Span)), target, false));

    /// <summary>Stages a new file that must not replace an existing one (an archive).</summary>
    public void Create(string target, Action<Stream> write) =>
        _staged.Add((DurableFile.Stage(target, write, static (stream, w) => w(stream)), target, true));

    /// <summary>Appends the transcript lines now, after recording how to undo the append if the commit does not land.</summary>
    public void AppendTranscript(string path, in TranscriptFile.Append append)
    {
        WriteRecord(PreparedState, undo: (Path.GetFileName(path), append.Before, append.Bytes.Length), renames: null);
        _undo = (path, append.Before, append.Bytes.Length);
        TranscriptFile.AppendLines(path, append);
    }

    /// <summary>Writes the commit point, then renames every staged file into place and clears the record.</summary>
    /// <exception cref="SessionStoreCommitUnconfirmedException">A rename failed after the commit point; the next writer finishes the commit.</exception>
    public void Apply()
    {
        if (_staged.Count > 0)
        {
            WriteRecord(CommittedState, undo: null, renames: _staged);
        }

        _committed = true;
        foreach (var (temp, target, createNew) in _staged)
        {
            try
            {
                Rename(temp, target, createNew);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SessionStoreCommitUnconfirmedException(
                    target,
                    $"Could not move the new {target} into place: {ex.Message} The completion is recorded in {_lock.Lock.LockPath} " +
                    "and the next write to this folder finishes it. Check that the agent folder is writable and the disk healthy.",
                    ex);
            }
        }

        if (_staged.Count > 0 || _undo is not null)
        {
            ClearRecord(_lock);
        }
    }

    /// <summary>Undoes a commit that did not reach its commit point: the transcript is cut back and the temps deleted.</summary>
    public void Abandon()
    {
        if (_committed)
        {
            return;
        }

        foreach (var (temp, _, _) in _staged)
        {
            DurableFile.TryDelete(temp);
        }

        if (_undo is var (path, before, appended))
        {
            TranscriptFile.CutBack(path, before, appended);
        }

        if (_undo is not null)
        {
            ClearRecord(_lock);
        }
    }

    /// <summary>
    /// Finishes or undoes a commit that a killed writer left behind; the caller holds the lock. Returns whether there was one.
    /// Names in the record are used only when they are plain file names in the folder, so a tampered lock file cannot make
    /// the store touch anything else.
    /// </summary>
    public static bool Recover(string folder, FolderLock.Held held)
    {
        var record = held.CommitRecordAtAcquire.Span;
        if (record.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(record, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var state = root.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (state == PreparedState && root.TryGetProperty("undo", out var undo)
                && FileIn(folder, undo.TryGetProperty("file", out var f) ? f : default) is string transcript
                && undo.TryGetProperty("length", out var l) && l.TryGetInt64(out var before) && before >= 0
                && undo.TryGetProperty("appended", out var a) && a.TryGetInt64(out var appended) && appended >= 0)
            {
                TranscriptFile.CutBack(transcript, before, appended);
            }
            else if (state == CommittedState && root.TryGetProperty("renames", out var renames) && renames.ValueKind == JsonValueKind.Array)
            {
                foreach (var rename in renames.EnumerateArray())
                {
                    if (rename.ValueKind == JsonValueKind.Array && rename.GetArrayLength() == 3
                        && FileIn(folder, rename[0]) is string temp
                        && FileIn(folder, rename[1]) is string target
                        && File.Exists(temp))
                    {
                        Rename(temp, target, rename[2].ValueKind == JsonValueKind.True);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A record cut short by a power loss (JsonException), or not of the shape this code writes (a member of
            // another JSON type: InvalidOperationException): nothing can be done with it, and the files are each whole.
        }

        ClearRecord(held);
        return true;
    }

    private static void Rename(string temp, string target, bool createNew)
    {
        if (!createNew)
        {
            DurableFile.MoveOver(temp, target);
            return;
        }

        try
        {
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (Path.Exists(target))
        {
            // Archives are never overwritten; a name that was taken meanwhile keeps its file.
            DurableFile.TryDelete(temp);
        }
    }

    private static string? FileIn(string folder, JsonElement name)
    {
        if (name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 } fileName
            || AgentFileNameRules.FindPathProblem(fileName, allowColon: false) is not null)
        {
            return null;
        }

        return Path.Combine(folder, fileName);
    }

    private void WriteRecord(string state, (string File, long Before, long Appended)? undo, List<(string Temp, string Target, bool CreateNew)>? renames)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.LineWriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("state", state);
            if (undo is var (file, before, appended))
            {
                writer.WriteStartObject("undo");
                writer.WriteString("file", file);
                writer.WriteNumber("length", before);
                writer.WriteNumber("appended", appended);
                writer.WriteEndObject();
            }

            if (renames is not null)
            {
                writer.WriteStartArray("renames");
                foreach (var (temp, target, createNew) in renames)
                {
                    writer.WriteStartArray();
                    writer.WriteStringValue(Path.GetFileName(temp));
                    writer.WriteStringValue(Path.GetFileName(target));
                    writer.WriteBooleanValue(createNew);
                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        try
        {
            _lock.WriteCommitRecord(buffer.WrittenSpan);
        }
        catch (IOException ex)
        {
            throw new SessionStoreException(_lock.Lock.LockPath, $"Could not record the commit in {_lock.Lock.LockPath}: {ex.Message} Nothing was written; check free disk space.", ex);
        }
    }

    private static void ClearRecord(FolderLock.Held held)
    {
        try
        {
            held.WriteCommitRecord([]);
        }
        catch (IOException)
        {
            // The record stays; recovering it again finds nothing left to do (its temps are gone, the transcript at length).
        }
    }
}
