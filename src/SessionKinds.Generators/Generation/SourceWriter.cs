using System.Text;

namespace SessionKinds.Generators.Generation;

/// <summary>
/// A small indented text writer for generated C#: four spaces per level, <c>\n</c> line endings on every
/// platform, no trailing whitespace. Deliberately not <c>SyntaxFactory</c> + <c>NormalizeWhitespace</c>.
/// </summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";

    private readonly StringBuilder _builder = new(capacity: 2048);
    private int _indent;

    /// <summary>Writes one line at the current indentation; an empty line gets no indentation.</summary>
    public void Line(string text)
    {
        if (text.Length > 0)
        {
            for (var i = 0; i < _indent; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(text);
        }

        _builder.Append('\n');
    }

    /// <summary>Writes an empty line.</summary>
    public void Line() => _builder.Append('\n');

    /// <summary>Writes <c>{</c> and indents.</summary>
    public void OpenBlock()
    {
        Line("{");
        _indent++;
    }

    /// <summary>Unindents and writes <c>}</c> followed by <paramref name="suffix"/> (e.g. <c>;</c>).</summary>
    public void CloseBlock(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    /// <summary>Indents the following lines one more level.</summary>
    public void Indent() => _indent++;

    /// <summary>Undoes <see cref="Indent"/>.</summary>
    public void Unindent() => _indent--;

    public override string ToString() => _builder.ToString();
}
