using System;
using System.Collections.Generic;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// A nondeterministic automaton over bytes under construction: states are ints, edges are byte ranges, and epsilon
/// edges join fragments. <see cref="ByteDfa"/> turns it into a deterministic one.
/// </summary>
internal sealed class ByteNfa
{
    readonly List<List<(byte Lo, byte Hi, int To)>> _edges = [];
    readonly List<List<int>> _epsilons = [];
    readonly int _maxStates;

    public ByteNfa(int maxStates) => _maxStates = maxStates;

    public int Count => _edges.Count;

    public IReadOnlyList<(byte Lo, byte Hi, int To)> EdgesOf(int state) => _edges[state];

    public IReadOnlyList<int> EpsilonsOf(int state) => _epsilons[state];

    /// <summary>A new state without edges.</summary>
    public int Add()
    {
        if (_edges.Count >= _maxStates)
            throw new ArgumentException(
                $"The schema needs more than {_maxStates} automaton states; lower its maxItems or maxLength, or raise JsonSchemaOptions.MaxStates.");
        _edges.Add([]);
        _epsilons.Add([]);
        return _edges.Count - 1;
    }

    public void Edge(int from, byte lo, byte hi, int to) => _edges[from].Add((lo, hi, to));

    public void Edge(int from, char lo, char hi, int to) => Edge(from, checked((byte)lo), checked((byte)hi), to);

    public void Edge(int from, char c, int to) => Edge(from, c, c, to);

    public void Epsilon(int from, int to) => _epsilons[from].Add(to);

    /// <summary>A chain spelling <paramref name="bytes"/> (at least one) from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void Bytes(int from, ReadOnlySpan<byte> bytes, int to)
    {
        for (var i = 0; i < bytes.Length - 1; i++)
        {
            var next = Add();
            Edge(from, bytes[i], bytes[i], next);
            from = next;
        }
        Edge(from, bytes[^1], bytes[^1], to);
    }

    /// <summary>Like <see cref="Bytes(int, ReadOnlySpan{byte}, int)"/> into a new state, which is returned.</summary>
    public int Bytes(int from, ReadOnlySpan<byte> bytes)
    {
        var to = Add();
        Bytes(from, bytes, to);
        return to;
    }
}
