using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>A parsed template, ready to render any number of times with different variables.</summary>
internal sealed class JinjaTemplate
{
    readonly IReadOnlyList<Stmt> _body;

    public JinjaTemplate(string source, JinjaEnvironment environment)
    {
        Environment = environment;
        var text = new SourceText(source);
        _body = Parser.Parse(Lexer.Tokenize(text, environment.TrimBlocks, environment.LStripBlocks), environment);
        HasGeneration = NameUsage.Contains<GenerationStmt>(_body);
    }

    public JinjaEnvironment Environment { get; }

    /// <summary>Whether the template marks assistant output with <c>{% generation %}</c>.</summary>
    public bool HasGeneration { get; }

    public string Render(IReadOnlyDictionary<string, object?> variables) => Render(variables, trackGeneration: false).Text;

    /// <summary>Renders; with <paramref name="trackGeneration"/>, also where each <c>{% generation %}</c> block's text is.</summary>
    public (string Text, IReadOnlyList<(int Start, int End)> GenerationSpans) Render(IReadOnlyDictionary<string, object?> variables, bool trackGeneration)
    {
        var scope = new Scope(Environment.CreateGlobalScope());
        foreach (var (name, value) in variables) scope.Set(name, value);
        var interpreter = new Interpreter(Environment, trackGeneration);
        var text = interpreter.Render(_body, scope);
        return (text, interpreter.GenerationSpans);
    }
}
