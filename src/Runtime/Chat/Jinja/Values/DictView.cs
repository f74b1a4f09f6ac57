using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>What <c>dict.keys()</c>, <c>.values()</c> and <c>.items()</c> return: sized, iterable, not indexable.</summary>
internal sealed class DictView(PyDict dict, DictViewKind kind)
{
    public DictViewKind Kind { get; } = kind;

    public int Count => dict.Count;

    public IEnumerable<object?> Items() => Kind switch
    {
        DictViewKind.Keys => dict.Keys,
        DictViewKind.Values => dict.Values,
        _ => dict.Pairs.Select(p => (object?)new PyTuple([p.Key, p.Value])),
    };

    public string TypeName => Kind switch
    {
        DictViewKind.Keys => "dict_keys",
        DictViewKind.Values => "dict_values",
        _ => "dict_items",
    };
}

/// <summary>Which view of a dict.</summary>
internal enum DictViewKind { Keys, Values, Items }
