namespace ModelDsl.Chat.Jinja;

/// <summary>What <c>namespace(...)</c> returns: the one object a template may change (<c>{% set ns.x = … %}</c>),
/// which is how values escape a loop body's scope.</summary>
internal sealed class Namespace
{
    public PyDict Attributes { get; } = new();
}
