using System.Collections;
using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>A Python tuple: an immutable sequence that prints with parentheses and is hashable.</summary>
internal sealed class PyTuple(IReadOnlyList<object?> items) : IReadOnlyList<object?>
{
    public static PyTuple Empty { get; } = new([]);

    public object? this[int index] => items[index];
    public int Count => items.Count;
    public IEnumerator<object?> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
