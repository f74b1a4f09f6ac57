using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// A one-shot Python iterator, such as the generator that <c>select</c>, <c>map</c> or <c>reverse</c> return. Like the
/// real thing it is always true, has no length, and is empty once consumed, so <c>x|select|length</c> fails as in jinja2.
/// </summary>
internal sealed class PyIterator(IEnumerable<object?> source, string typeName)
{
    IEnumerator<object?>? _enumerator = source.GetEnumerator();

    /// <summary>Python's type name for messages (<c>generator</c>, <c>list_reverseiterator</c>…).</summary>
    public string TypeName { get; } = typeName;

    /// <summary>The remaining items; later calls see only what earlier ones left.</summary>
    public IEnumerable<object?> Consume()
    {
        while (_enumerator is not null && _enumerator.MoveNext()) yield return _enumerator.Current;
        _enumerator = null;
    }
}
