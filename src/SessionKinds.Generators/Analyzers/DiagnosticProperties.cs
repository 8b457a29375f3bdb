namespace SessionKinds.Generators.Analyzers;

/// <summary>Keys and values of <c>Diagnostic.Properties</c> that the code fixes read.</summary>
internal static class DiagnosticProperties
{
    /// <summary>SKND0002: what has no kind, <see cref="KindValue"/> or <see cref="TypeArgument"/>.</summary>
    public const string Subject = "Subject";

    /// <summary>SKND0002: a <c>SessionKind</c> expression whose constant value is not a kind; the fix replaces it.</summary>
    public const string KindValue = "KindValue";

    /// <summary>SKND0002: a task type without a kind used as a type argument.</summary>
    public const string TypeArgument = "TypeArgument";

    /// <summary>SKND0003/SKND0007/SKND0010: the kinds whose attributes the type carries, comma-separated, e.g. <c>User,Cron</c>.</summary>
    public const string Kinds = "Kinds";

    /// <summary>SKND0012/SKND0013/SKND0014: the value the user most likely meant; the fix writes it as the argument's string literal.</summary>
    public const string Suggestion = "Suggestion";
}
