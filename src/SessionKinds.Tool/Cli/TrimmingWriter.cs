using System.Text;

namespace SessionKinds.Tool.Cli;

/// <summary>
/// Passes text on line by line without the spaces Spectre.Console pads lines with, so redirected output (a file, a pipe,
/// a test) has no trailing white space.
/// </summary>
internal sealed class TrimmingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            inner.Write(Trimmed());
            inner.Write('\n');
            _line.Clear();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    public override void Flush()
    {
        if (_line.Length > 0)
        {
            inner.Write(Trimmed());
            _line.Clear();
        }

        inner.Flush();
    }

    private string Trimmed()
    {
        var end = _line.Length;
        while (end > 0 && _line[end - 1] == ' ')
        {
            end--;
        }

        return _line.ToString(0, end);
    }
}
