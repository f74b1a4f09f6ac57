using System;
using System.Text;

namespace ModelDsl.Generators.Text;

/// <summary>A minimal indented writer for generated C# (four spaces, '\n' line ends, so output is byte-stable).</summary>
internal sealed class SourceWriter
{
    readonly StringBuilder _builder = new();
    int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0) _builder.Append(' ', _indent * 4).Append(text);
        _builder.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned scope is disposed.</summary>
    public IDisposable Block(string header, string closing = "}")
    {
        Line(header);
        Line("{");
        _indent++;
        return new Closer(this, closing);
    }

    public override string ToString() => _builder.ToString();

    sealed class Closer : IDisposable
    {
        readonly SourceWriter _writer;
        readonly string _closing;

        public Closer(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line(_closing);
        }
    }
}
