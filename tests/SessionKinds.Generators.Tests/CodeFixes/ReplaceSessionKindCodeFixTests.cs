using SessionKinds.CodeFixes;
using SessionKinds.Generators.Tests.Infrastructure;
using static SessionKinds.Generators.Tests.Infrastructure.TestSources;

namespace SessionKinds.Generators.Tests.CodeFixes;

/// <summary>SKND0002 fix: replace a kind value that is not a kind with a defined kind, one action per kind.</summary>
public sealed class ReplaceSessionKindCodeFixTests
{
    private static string Host(string argument) => $$"""
        using SessionKinds;
        using SessionKinds.Testing;

        public static class Host
        {
            public static void Start(StoreStub store)
            {
                store.StartSession({{argument}}, "k");
            }
        }
        """;

    [Theory]
    [InlineData("User")]
    [InlineData("Heartbeat")]
    [InlineData("Cron")]
    [InlineData("Subagent")]
    public Task Each_kind_has_its_own_action(string kind) =>
        new SessionKindsCodeFixTest<ReplaceSessionKindCodeFixProvider>(
            Host("{|SKND0002:SessionKind.Unspecified|}"),
            Host("SessionKind." + kind),
            ReplaceSessionKindCodeFixProvider.EquivalenceKey(kind)).RunAsync();

    [Theory]
    [InlineData("default")]
    [InlineData("default(SessionKind)")]
    [InlineData("(SessionKind)0")]
    [InlineData("(SessionKind)42")]
    [InlineData("0")]
    [InlineData("SessionKind.User - 1")]
    public Task Every_literal_shape_is_replaced(string literal) =>
        new SessionKindsCodeFixTest<ReplaceSessionKindCodeFixProvider>(
            Host("{|SKND0002:" + literal + "|}"),
            Host("SessionKind.Heartbeat"),
            ReplaceSessionKindCodeFixProvider.EquivalenceKey("Heartbeat")).RunAsync();

    [Fact]
    public Task Comments_around_the_argument_are_kept() =>
        new SessionKindsCodeFixTest<ReplaceSessionKindCodeFixProvider>(
            Host("/* kind */ {|SKND0002:default|} /* later */"),
            Host("/* kind */ SessionKind.Cron /* later */"),
            ReplaceSessionKindCodeFixProvider.EquivalenceKey("Cron")).RunAsync();

    [Fact]
    public Task Using_is_added_when_SessionKind_is_not_in_scope() =>
        new SessionKindsCodeFixTest<ReplaceSessionKindCodeFixProvider>("""
            namespace App
            {
                public static class Host
                {
                    public static void Start(SessionKinds.Testing.StoreStub store) => store.StartSession({|SKND0002:default|}, "k");
                }
            }
            """, """
            using SessionKinds;

            namespace App
            {
                public static class Host
                {
                    public static void Start(SessionKinds.Testing.StoreStub store) => store.StartSession(SessionKind.User, "k");
                }
            }
            """, ReplaceSessionKindCodeFixProvider.EquivalenceKey("User")).RunAsync();

    [Fact]
    public Task Kindless_type_argument_has_no_replace_fix()
    {
        var source = $$"""
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Start(StoreStub store) => store.{|CS0311:StartSession<{|SKND0002:Kindless|}>|}("k");
            }

            public partial class {|SKND0001:Kindless|} : IAgentTask
            {
                {{Run}}
            }
            """;
        return new SessionKindsCodeFixTest<ReplaceSessionKindCodeFixProvider>(source, source).RunAsync();
    }

    [Fact]
    public Task Fix_all_replaces_every_value_in_document_project_and_solution()
    {
        var test = new SessionKindsCodeFixTest<ReplaceSessionKindCodeFixProvider>("""
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Start(StoreStub store)
                {
                    store.StartSession({|SKND0002:default|}, "a");
                    store.StartSession({|SKND0002:SessionKind.Unspecified|}, "b");
                    store.StartSession(SessionKind.Cron, "c");
                }
            }
            """, """
            using SessionKinds;
            using SessionKinds.Testing;

            public static class Host
            {
                public static void Start(StoreStub store)
                {
                    store.StartSession(SessionKind.Subagent, "a");
                    store.StartSession(SessionKind.Subagent, "b");
                    store.StartSession(SessionKind.Cron, "c");
                }
            }
            """, ReplaceSessionKindCodeFixProvider.EquivalenceKey("Subagent"));
        var other = test.TestState.AdditionalProjects["Other"];
        HermeticReferences.Apply(other);
        other.Sources.Add(("/Other/Use.cs", "public static class Use\n{\n    public static object Info() => new SessionKinds.SessionTaskInfo(\"x\", {|SKND0002:default|});\n}\n"));
        var otherFixed = test.FixedState.AdditionalProjects["Other"];
        HermeticReferences.Apply(otherFixed);
        otherFixed.Sources.Add(("/Other/Use.cs", "using SessionKinds;\n\npublic static class Use\n{\n    public static object Info() => new SessionKinds.SessionTaskInfo(\"x\", SessionKind.Subagent);\n}\n"));
        return test.RunAsync();
    }
}
