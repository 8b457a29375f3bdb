using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Keys and ids never become paths unchecked; a bad one is rejected and nothing is written anywhere.</summary>
public class SessionKeyValidationTests
{
    public static TheoryData<string> BadKeys => new()
    {
        "../x",
        "..",
        "a/../../b",
        "a/b",
        "a\\b",
        "/etc/passwd",
        "\\\\server\\share",
        "C:",
        "agent\0main",
        "agent\nmain",
        "agent\u007Fmain",
        "",
        "   ",
        new string('k', 10_000),
        "CON",
        "nul",
        "NUL.txt",
        "com1",
        "LPT9.log",
        "aux:main",
        "CONOUT$",
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Bad_keys_are_rejected_and_nothing_is_written(string key)
    {
        using var f = new StoreFixture();
        var before = FolderSnapshot.Take(f.Temp.Root);

        var typed = Assert.Throws<ArgumentException>(() => f.Store.StartSession<ChatTurn>(key, "hi"));
        var explicitKind = Assert.Throws<ArgumentException>(() => f.Store.StartSession(SessionKind.User, key));

        Assert.Equal("sessionKey", typed.ParamName);
        Assert.Contains("Session key", typed.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", explicitKind.Message, StringComparison.Ordinal);
        if (key.Length is > 0 and < 50 && !key.Any(char.IsControl) && !key.Any(char.IsSurrogate))
        {
            Assert.Contains($"\"{key}\"", typed.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.Root).Files);
    }

    [Fact]
    public void A_key_with_an_unpaired_surrogate_is_rejected()
    {
        // Not in the theory: xUnit's data serialization would replace the surrogate with U+FFFD.
        using var f = new StoreFixture();

        var ex = Assert.Throws<ArgumentException>(() => f.Store.StartSession(SessionKind.User, "bad\uD800surrogate"));

        Assert.Contains("surrogate", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\\uD800", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Traversal_key_creates_nothing_outside_the_agent_folder()
    {
        using var f = new StoreFixture();
        f.Run(SessionKind.User, "agent:main:main", "hi");
        var before = FolderSnapshot.Take(f.Temp.Root);

        Assert.Throws<ArgumentException>(() => f.Run(SessionKind.User, "../x", "escape"));
        Assert.Throws<ArgumentException>(() => f.Run(SessionKind.User, "../../x.jsonl", "escape"));

        Assert.Equal(before.Files, FolderSnapshot.Take(f.Temp.Root).Files);
        Assert.False(File.Exists(Path.Combine(f.Temp.Root, "x")));
    }

    [Theory]
    [InlineData("agent:main:main")]
    [InlineData("agent:main:telegram:group:-100123456789:topic:42")]
    [InlineData("user@example.com")]
    [InlineData("a.b.c")]
    [InlineData("console")]
    [InlineData("cron:nightly")]
    [InlineData("émoji 😀 key")]
    public void Gateway_keys_are_accepted(string key)
    {
        using var f = new StoreFixture();

        f.Run(SessionKind.User, key, "hi");

        Assert.Equal(key, Assert.Single(f.Store.ReadSessions()).Key);
    }

    [Fact]
    public void A_key_of_the_maximum_length_is_accepted_and_one_more_is_not()
    {
        using var f = new StoreFixture();

        f.Store.StartSession(SessionKind.User, new string('k', 512));
        Assert.Throws<ArgumentException>(() => f.Store.StartSession(SessionKind.User, new string('k', 513)));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4")]
    [InlineData("0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4dx")]
    [InlineData("0b0c8f4e_5b7a_4c1e_9d55_8c1f0a2b3c4d")]
    [InlineData("0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4g")]
    public void Transcript_reads_accept_only_uuids(string id)
    {
        using var f = new StoreFixture();

        var ex = Assert.Throws<ArgumentException>(() => f.Store.ReadTranscript(id));

        Assert.Equal("sessionId", ex.ParamName);
    }

    [Theory]
    [InlineData("../ring.json")]
    [InlineData("sessions.json")]
    [InlineData("heartbeat-state.json")]
    [InlineData("x.jsonl")]
    [InlineData("a:b.json")]
    [InlineData("nul.json")]
    public void Ring_file_names_must_be_plain_files_of_their_own(string ringFile)
    {
        using var f = new StoreFixture();

        Assert.Throws<ArgumentException>(() => f.Store.ReadHeartbeatRing(ringFile));
    }
}
