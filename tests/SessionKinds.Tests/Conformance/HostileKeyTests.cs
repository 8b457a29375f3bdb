using System.Text;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// Session keys never become paths or anything else than a key: a bad one is rejected by <see cref="ArgumentException"/>
/// before anything is written, on every engine; a good one, however odd, is stored and read back exactly.
/// </summary>
public sealed class HostileKeyTests
{
    private static readonly string[] BadKeys =
    [
        "../x", "..", "a/../../b", "a/b", "a\\b", "/etc/passwd", "\\\\server\\share", "C:", "agent\0main", "agent\nmain", "agent\u007Fmain",
        "", "   ", new string('k', 10_000), new string('k', 513), "CON", "nul", "NUL.txt", "com1", "LPT9.log", "aux:main", "CONOUT$",
        "bad\uD800surrogate", "\uDC00", "tail\uD83D",
    ];

    public static TheoryData<string, int> EnginesAndBadKeys()
    {
        var data = new TheoryData<string, int>();
        foreach (var engine in StoreEngines.Registered)
        {
            for (var i = 0; i < BadKeys.Length; i++)
            {
                data.Add(engine.Name, i); // by index: xUnit's serialization would replace lone surrogates with U+FFFD
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesAndBadKeys))]
    public async Task A_bad_key_is_rejected_naming_it_and_nothing_is_written(string engine, int index)
    {
        var key = BadKeys[index];
        await using var s = StoreUnderTest.Create(engine);
        await s.RunAsync(SessionKind.User, "agent:main:main", "hi");
        var before = await s.SnapshotAsync();

        var typed = Assert.Throws<ArgumentException>(() => s.Store.StartSession<ChatTurn>(key, "hi"));
        var explicitKind = Assert.Throws<ArgumentException>(() => s.Store.StartSession(SessionKind.Heartbeat, key));
        var run = await Assert.ThrowsAsync<ArgumentException>(async () => await s.Store.RunAsync(new MorningBrief { Answer = (_, _) => throw new InvalidOperationException("must not run") }, key));

        Assert.Equal(("sessionKey", "sessionKey", "sessionKey"), (typed.ParamName, explicitKind.ParamName, run.ParamName));
        Assert.StartsWith("Session key \"", typed.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", explicitKind.Message, StringComparison.Ordinal);
        var shown = key.Length > 80 ? key[..80] : key;
        if (!shown.Any(c => char.IsControl(c) || char.IsSurrogate(c)))
        {
            Assert.Contains($"\"{shown}", typed.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("\\u", typed.Message, StringComparison.Ordinal); // printed escaped, never raw
            Assert.DoesNotContain(typed.Message, c => char.IsSurrogate(c) || c == '\0' || c == '\n');
        }

        Assert.Null(await s.Store.FindSessionAsync(key));
        await s.AssertUnchangedSinceAsync(before, $"bad key #{index} is rejected");
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Two_thousand_seeded_hostile_keys_are_rejected_with_nothing_written_or_stored_exactly(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var random = new Random(2_000);
        string[] pieces = ["/", "\\", "..", ".", ":", "\0", "\n", "\u202E", "CON", "nul", "COM1", "LPT¹", "agent", "main", " ", "~", "$", "%2e%2e", "😀", "\uD800", "C:", "\\\\?\\", "*", "?", "\"", "'", "{", "}", "[", "]", "\u00e9", "\t"];
        var rejected = 0;
        var stored = new List<string>();
        for (var i = 0; i < 2_000; i++)
        {
            var builder = new StringBuilder();
            var length = random.Next(1, 8);
            for (var p = 0; p < length; p++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            if (random.Next(100) == 0)
            {
                builder.Append('k', 600);
            }

            var key = builder.ToString();
            SessionHandle session;
            var before = i % 10 == 0 ? await s.SnapshotAsync() : null; // every 10th: a snapshot reads the whole store
            try
            {
                session = s.Store.StartSession(SessionKind.User, key);
            }
            catch (ArgumentException ex)
            {
                Assert.Equal("sessionKey", ex.ParamName);
                Assert.Contains("Nothing was written", ex.Message, StringComparison.Ordinal);
                if (before is not null)
                {
                    await s.AssertUnchangedSinceAsync(before, $"hostile key #{i} is rejected");
                }

                rejected++;
                continue;
            }

            if (stored.Count < 100 && !stored.Contains(key))
            {
                var outcome = await s.Store.CompleteAsync(session, $"reply {i}");
                Assert.Equal(key, outcome.Key);
                Assert.Equal(key, (await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Header!.Key);
                stored.Add(key);
            }
        }

        Assert.True(rejected > 1_000 && stored.Count > 10, $"rejected {rejected}, stored {stored.Count}");
        Assert.Equal(stored.Order(StringComparer.Ordinal), (await s.Store.ReadSessionsAsync()).Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var key in stored)
        {
            Assert.Equal(key, (await s.Store.FindSessionAsync(key))!.Key);
        }

        Assert.Empty(await s.Agent.FindIntegrityProblemsAsync());
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Gateway_keys_of_any_shape_are_stored_and_read_back_exactly(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        string[] keys =
        [
            "agent:main:main", "agent:main:telegram:group:-100123456789:topic:42", "user@example.com", "a.b.c", "console", "cron:nightly",
            "émoji 😀 key", "quote \" and backslash-free 'single'", "{\"json\": \"looking\"}", "%2e%2e", "~", "$HOME", ".x.", new string('k', 512),
        ];

        foreach (var key in keys)
        {
            await s.RunAsync(SessionKind.User, key, "hi");
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), (await s.Store.ReadSessionsAsync()).Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var key in keys)
        {
            Assert.Equal(key, (await s.Store.FindSessionAsync(key))!.Key);
        }
    }
}
