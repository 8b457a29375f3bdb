using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SessionKinds.Generators.Tasks;

/// <summary>A session kind attribute applied to a type.</summary>
internal readonly struct KindAttributeUsage
{
    public KindAttributeUsage(AttributeData data, SessionKindInfo info)
    {
        Data = data;
        Info = info;
    }

    public AttributeData Data { get; }

    public SessionKindInfo Info { get; }

    /// <summary>The attribute as written, or <see langword="null"/> when it has no source.</summary>
    public AttributeSyntax? GetSyntax(CancellationToken cancellationToken) =>
        Data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
}
