using System.Globalization;
using System.Text;

namespace SessionKinds;

/// <summary>
/// What an import read, wrote (or, in a dry run, would write) and skipped: counts and bytes per kind of thing, and each
/// skipped file or part with the reason. <see cref="ToString"/> prints it as a table.
/// </summary>
public sealed class AgentImportReport
{
    internal AgentImportReport(string folder, IReadOnlyList<AgentImportItem> items, IReadOnlyList<AgentImportSkip> skipped)
    {
        Folder = folder;
        Items = items;
        Skipped = skipped;
    }

    /// <summary>The agent folder read.</summary>
    public string Folder { get; }

    /// <summary>Where the import wrote, or <see langword="null"/> when the folder was only read.</summary>
    public string? Destination { get; private init; }

    /// <summary>Whether this was a dry run (nothing was committed).</summary>
    public bool DryRun { get; private init; }

    /// <summary>Whether the import was committed to <see cref="Destination"/>.</summary>
    public bool Written => Destination is not null && !DryRun;

    /// <summary>What was imported, per kind of thing.</summary>
    public IReadOnlyList<AgentImportItem> Items { get; }

    /// <summary>What was not imported, and why.</summary>
    public IReadOnlyList<AgentImportSkip> Skipped { get; }

    /// <summary>The count of the item named <paramref name="what"/>, or 0.</summary>
    public long CountOf(string what) => Items.FirstOrDefault(i => i.What == what)?.Count ?? 0;

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        var verb = Destination is null ? "read" : DryRun ? "dry run, nothing written: would import into " + Destination : "imported into " + Destination;
        text.Append(CultureInfo.InvariantCulture, $"{Folder} ({verb})\n");
        var width = Items.Count == 0 ? 10 : Items.Max(i => i.What.Length);
        foreach (var item in Items)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {item.What.PadRight(width)}  {item.Count,10:N0}  {(item.Bytes is { } bytes ? bytes.ToString("N0", CultureInfo.InvariantCulture) + " B" : "-"),16}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  skipped: {Skipped.Count}\n");
        foreach (var skip in Skipped)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {skip.Item}: {skip.Reason}\n");
        }

        return text.ToString();
    }

    internal AgentImportReport Completed(string destination, bool dryRun) => new(Folder, Items, Skipped) { Destination = destination, DryRun = dryRun };
}

/// <summary>One kind of thing an import carries.</summary>
/// <param name="What">What it is, e.g. <c>entries (user)</c>, <c>transcript lines</c>, <c>ring entries</c>.</param>
/// <param name="Count">How many.</param>
/// <param name="Bytes">
/// Their size as read from the folder (the JSON text of entries and lines, whole files otherwise), or <see langword="null"/>
/// for a count whose bytes another item already holds (ring entries, entries whose kind came from the key).
/// </param>
public sealed record AgentImportItem(string What, long Count, long? Bytes);

/// <summary>A file, or a part of one, that an import does not carry.</summary>
/// <param name="Item">The file name, or the file and the part (e.g. <c>0b6e….jsonl line 7</c>).</param>
/// <param name="Reason">Why it was skipped.</param>
public sealed record AgentImportSkip(string Item, string Reason);
