using System.Globalization;

namespace HeartbeatAgent;

/// <summary>
/// Stands in for the language model with replies shaped like real gateway traffic: about nine heartbeats in
/// ten are acknowledgements (in the spellings models really use), the rest alerts; cron jobs are often silent.
/// Seeded, so a run is reproducible.
/// </summary>
public sealed class ScriptedModel(int seed)
{
    private static readonly string[] AckSpellings =
    [
        "HEARTBEAT_OK", "HEARTBEAT_OK", "HEARTBEAT_OK", "**HEARTBEAT_OK**", "HEARTBEAT_OK.",
        "`HEARTBEAT_OK`", "Inbox is quiet. HEARTBEAT_OK", "HEARTBEAT_OK - nothing new since the last check.",
    ];

    private static readonly string[] Senders = ["Dana (finance)", "the landlord", "GitHub", "Priya", "the school office", "your bank"];

    private static readonly string[] Questions =
    [
        "Can you summarise the thread with Priya about the offsite?",
        "What is on my calendar tomorrow?",
        "Draft a polite reply declining the Thursday meeting.",
        "Remind me what the landlord said about the boiler.",
        "Find the cheapest train to Lyon next Friday.",
    ];

    // The host may run two tasks at once; the seeded sequence is drawn one caller at a time.
    private readonly LockedRandom _random = new(seed);

    /// <summary>Share of heartbeats that raise an alert.</summary>
    public double AlertShare { get; init; } = 0.1;

    public string InboxHeartbeat(DateTimeOffset now)
    {
        if (_random.NextDouble() >= AlertShare)
        {
            return AckSpellings[_random.Next(AckSpellings.Length)];
        }

        var sender = Senders[_random.Next(Senders.Length)];
        var count = _random.Next(1, 5);
        return string.Create(CultureInfo.InvariantCulture,
            $"{count} new message(s) since {now.AddMinutes(-30):HH:mm} UTC. The one from {sender} looks time-sensitive: they ask for an answer before {now.AddHours(6):ddd HH:mm}. Want me to draft a reply?");
    }

    public string MorningBrief(DateTimeOffset now) => _random.Next(5) == 0
        ? "NO_REPLY"
        : string.Create(CultureInfo.InvariantCulture,
            $"Good morning. {now:dddd d MMMM}: {_random.Next(1, 6)} meetings, first at {_random.Next(8, 11)}:00. {_random.Next(0, 12)} unread messages, none urgent. Weather: {_random.Next(-2, 24)} °C.");

    public string ThreadCleanup() => _random.Next(8) switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"Archived {_random.Next(2, 9)} threads with no activity for 30 days."),
        1 => "HEARTBEAT_OK",
        2 => "",
        _ => "NO_REPLY",
    };

    public string NextQuestion() => Questions[_random.Next(Questions.Length)];

    public bool WantsResearch() => _random.Next(4) == 0;

    public string ChatAnswer(string? question) =>
        $"Here is what I found about \"{question}\": three relevant messages, the latest from yesterday evening. I can open any of them for you.";

    public string ResearchReport(string? brief) =>
        $"Research on \"{brief}\": compared 4 options; the best is the 07:34 departure at 39 EUR, refundable until 24 hours before.";

    /// <summary>A uniformly random minute offset inside [0, <paramref name="minutes"/>).</summary>
    public TimeSpan RandomOffset(int minutes) => TimeSpan.FromMinutes(_random.Next(minutes));
}

/// <summary>A seeded <see cref="Random"/> that callers on several threads draw from one at a time.</summary>
internal sealed class LockedRandom(int seed)
{
    private readonly Random _random = new(seed);

    public double NextDouble()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    public int Next(int maxValue)
    {
        lock (_random)
        {
            return _random.Next(maxValue);
        }
    }

    public int Next(int minValue, int maxValue)
    {
        lock (_random)
        {
            return _random.Next(minValue, maxValue);
        }
    }
}
