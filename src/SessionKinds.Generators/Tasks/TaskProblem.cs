using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SessionKinds.Generators.Tasks;

/// <summary>
/// One thing wrong with a task, as the inspection found it: the rule (its descriptor, hence its ID), where it is
/// (a span of a syntax tree), the message arguments and the properties its code fix reads. The analyzer turns it
/// into a <see cref="Diagnostic"/> as it is; the code fixes read the same problem back.
/// </summary>
internal sealed class TaskProblem
{
    public TaskProblem(
        DiagnosticDescriptor descriptor,
        INamedTypeSymbol owner,
        SyntaxTree tree,
        TextSpan span,
        ImmutableArray<string> arguments,
        ImmutableDictionary<string, string?>? properties = null)
    {
        Descriptor = descriptor;
        Owner = owner;
        Tree = tree;
        Span = span;
        Arguments = arguments;
        Properties = properties ?? ImmutableDictionary<string, string?>.Empty;
    }

    /// <summary>The rule.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The diagnostic ID, e.g. <c>SKND0004</c>.</summary>
    public string Id => Descriptor.Id;

    /// <summary>
    /// The type the problem is about and whose declaration holds <see cref="Span"/>: the task itself, or for SKND0004
    /// a containing type that is not partial. The analyzer reports a problem while analyzing its owner, so that the
    /// IDE shows it in the owner's document.
    /// </summary>
    public INamedTypeSymbol Owner { get; }

    /// <summary>The syntax tree of the location.</summary>
    public SyntaxTree Tree { get; }

    /// <summary>The exact span reported.</summary>
    public TextSpan Span { get; }

    /// <summary>The message arguments, in the order of the descriptor's message format.</summary>
    public ImmutableArray<string> Arguments { get; }

    /// <summary>What the code fix needs beyond the location (<see cref="Analyzers.DiagnosticProperties"/>).</summary>
    public ImmutableDictionary<string, string?> Properties { get; }

    public Location Location => Location.Create(Tree, Span);

    public Diagnostic ToDiagnostic()
    {
        var arguments = new object?[Arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }

        return Diagnostic.Create(Descriptor, Location, Properties, arguments);
    }
}
