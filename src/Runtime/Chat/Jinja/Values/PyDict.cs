using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// A Python dict: insertion-ordered, keyed with Python's equality (so <c>1</c>, <c>1.0</c> and <c>True</c> are one key)
/// and refusing unhashable keys (lists, dicts) as Python does.
/// </summary>
internal sealed class PyDict
{
    // Dictionary keys cannot be null; None is stored as this marker.
    static readonly object NoneKey = new();

    readonly OrderedDictionary<object, object?> _items = new(PyKeyComparer.Instance);

    public int Count => _items.Count;

    public IEnumerable<object?> Keys => _items.Keys.Select(Unwrap);

    public IEnumerable<object?> Values => _items.Values;

    public IEnumerable<KeyValuePair<object?, object?>> Pairs => _items.Select(p => new KeyValuePair<object?, object?>(Unwrap(p.Key), p.Value));

    public bool TryGet(object? key, out object? value) => _items.TryGetValue(Wrap(key), out value);

    public bool ContainsKey(object? key) => _items.ContainsKey(Wrap(key));

    /// <summary>Sets a key; an existing key keeps its place (and its first spelling, as in Python).</summary>
    public void Set(object? key, object? value)
    {
        var wrapped = Wrap(key);
        var index = _items.IndexOf(wrapped);
        if (index >= 0) _items.SetAt(index, value);
        else _items.Add(wrapped, value);
    }

    static object Wrap(object? key)
    {
        PyKeyComparer.EnsureHashable(key);
        return key ?? NoneKey;
    }

    static object? Unwrap(object key) => ReferenceEquals(key, NoneKey) ? null : key;

    sealed class PyKeyComparer : IEqualityComparer<object>
    {
        public static readonly PyKeyComparer Instance = new();

        public new bool Equals(object? x, object? y) =>
            PythonOps.Equal(ReferenceEquals(x, NoneKey) ? null : x, ReferenceEquals(y, NoneKey) ? null : y);

        public int GetHashCode(object obj) => ReferenceEquals(obj, NoneKey) ? 0 : PythonOps.Hash(obj);

        public static void EnsureHashable(object? key) => PythonOps.Hash(key);
    }
}
