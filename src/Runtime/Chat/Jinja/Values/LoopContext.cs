using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// The <c>loop</c> variable of a for loop, with jinja2's <c>LoopContext</c> semantics: it reads one item ahead only when
/// <c>last</c> or <c>nextitem</c> asks, and <c>length</c> drains the rest of a lazy iterable when first asked.
/// </summary>
internal sealed class LoopContext
{
    static readonly object Missing = new();

    readonly IEnumerator<object?> _iterator;
    readonly List<object?> _drained = [];
    int _drainedIndex;
    object? _after = Missing;
    object? _current = Missing;
    object? _before = Missing;
    long? _length;
    object? _lastChanged = Missing;

    public LoopContext(IEnumerable<object?> items, long? knownLength)
    {
        _iterator = items.GetEnumerator();
        _length = knownLength;
    }

    public long Index0 { get; private set; } = -1;

    /// <summary>Moves to the next item; false at the end.</summary>
    public bool MoveNext(out object? item)
    {
        if (!ReferenceEquals(_after, Missing))
        {
            item = _after;
            _after = Missing;
        }
        else if (!TryRead(out item)) return false;
        Index0++;
        _before = _current;
        _current = item;
        return true;
    }

    bool TryRead(out object? item)
    {
        if (_drainedIndex < _drained.Count)
        {
            item = _drained[_drainedIndex++];
            return true;
        }
        if (_iterator.MoveNext())
        {
            item = _iterator.Current;
            return true;
        }
        item = null;
        return false;
    }

    object? PeekNext()
    {
        if (!ReferenceEquals(_after, Missing)) return _after;
        _after = TryRead(out var item) ? item : Missing;
        return _after;
    }

    public long Length
    {
        get
        {
            if (_length is { } known) return known;
            while (_iterator.MoveNext()) _drained.Add(_iterator.Current);
            _length = _drained.Count - _drainedIndex + Index0 + 1 + (ReferenceEquals(_after, Missing) ? 0 : 1);
            return _length.Value;
        }
    }

    /// <summary>The value of <c>loop.&lt;name&gt;</c>, or null when the loop has no such attribute.</summary>
    public bool TryGetAttribute(string name, out object? value)
    {
        value = name switch
        {
            "index0" => Index0,
            "index" => Index0 + 1,
            "revindex0" => Length - (Index0 + 1),
            "revindex" => Length - Index0,
            "first" => Index0 == 0,
            "last" => ReferenceEquals(PeekNext(), Missing),
            "length" => Length,
            "depth0" => 0L,
            "depth" => 1L,
            "previtem" => Index0 == 0 ? Undefined.WithHint("there is no previous item") : _before,
            "nextitem" => PeekNext() is var next && ReferenceEquals(next, Missing) ? Undefined.WithHint("there is no next item") : next,
            "cycle" => new BuiltinFunction("loop.cycle", (_, args) => Cycle(args)),
            "changed" => new BuiltinFunction("loop.changed", (_, args) => Changed(args)),
            _ => Missing,
        };
        return !ReferenceEquals(value, Missing);
    }

    object? Cycle(Arguments args)
    {
        args.NoKeywords("cycle");
        if (args.Positional.Count == 0) throw JinjaException.TypeError("no items for cycling given");
        return args.Positional[(int)(Index0 % args.Positional.Count)];
    }

    object Changed(Arguments args)
    {
        args.NoKeywords("changed");
        var value = new PyTuple([.. args.Positional]);
        if (!ReferenceEquals(_lastChanged, Missing) && PythonOps.Equal(_lastChanged, value)) return false;
        _lastChanged = value;
        return true;
    }

    public override string ToString() => $"<LoopContext {Index0 + 1}/{Length}>";
}
