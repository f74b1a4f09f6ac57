using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// A deterministic automaton over bytes, built from a <see cref="ByteNfa"/> by subset construction. Bytes that every
/// edge treats alike share a column of the transition table. Each state knows the fewest bytes that reach acceptance;
/// states from which acceptance is unreachable are removed (their transitions become <see cref="Dead"/>).
/// </summary>
internal sealed class ByteDfa
{
    /// <summary>The "no transition" state.</summary>
    public const int Dead = -1;

    readonly byte[] _classOf;      // byte -> column
    readonly int _columns;
    readonly int[] _next;          // state * _columns + column -> state or Dead
    readonly bool[] _accepting;
    readonly bool[] _final;        // accepting with no way to continue
    readonly int[] _minBytes;

    ByteDfa(byte[] classOf, int columns, int[] next, bool[] accepting, int[] minBytes)
    {
        _classOf = classOf;
        _columns = columns;
        _next = next;
        _accepting = accepting;
        _minBytes = minBytes;
        StateCount = accepting.Length;
        _final = new bool[StateCount];
        var alphabet = new bool[256];
        for (var s = 0; s < StateCount; s++)
        {
            var any = false;
            for (var b = 0; b < 256; b++)
                if (Step(s, (byte)b) != Dead)
                {
                    any = true;
                    alphabet[b] = true;
                }
            _final[s] = accepting[s] && !any;
        }
        Alphabet = Enumerable.Range(0, 256).Where(b => alphabet[b]).Select(b => (byte)b).ToArray();
    }

    /// <summary>States (the start state is 0).</summary>
    public int StateCount { get; }

    /// <summary>The state before any byte.</summary>
    public int Start => 0;

    /// <summary>Every byte some transition reads.</summary>
    public IReadOnlyList<byte> Alphabet { get; }

    /// <summary>The state after <paramref name="b"/>, or <see cref="Dead"/>.</summary>
    public int Step(int state, byte b) => _next[state * _columns + _classOf[b]];

    /// <summary>The state after all of <paramref name="bytes"/>, or <see cref="Dead"/>.</summary>
    public int Walk(int state, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            state = Step(state, b);
            if (state == Dead) return Dead;
        }
        return state;
    }

    /// <summary>Whether the bytes so far are a complete value.</summary>
    public bool IsAccepting(int state) => _accepting[state];

    /// <summary>Whether the value is complete and nothing may follow.</summary>
    public bool IsFinal(int state) => _final[state];

    /// <summary>Fewest further bytes that complete the value.</summary>
    public int MinBytes(int state) => _minBytes[state];

    /// <summary>The shortest completion from <paramref name="state"/> (the lowest byte wherever there is a choice).</summary>
    public byte[] ShortestCompletion(int state)
    {
        var bytes = new List<byte>();
        while (_minBytes[state] > 0)
        {
            var b = NextOnShortestPath(state);
            bytes.Add(b);
            state = Step(state, b);
        }
        return bytes.ToArray();
    }

    /// <summary>The first byte of <see cref="ShortestCompletion"/> (for a state that is not accepting).</summary>
    public byte NextOnShortestPath(int state)
    {
        for (var b = 0; b < 256; b++)
            if (Step(state, (byte)b) is var next and not Dead && _minBytes[next] == _minBytes[state] - 1)
                return (byte)b;
        throw new InvalidOperationException($"State {state} has no shortest path to acceptance.");
    }

    /// <summary>Subset construction of <paramref name="nfa"/> from <paramref name="start"/>, accepting where <paramref name="accept"/> is reached.</summary>
    public static ByteDfa Determinize(ByteNfa nfa, int start, int accept, int maxStates)
    {
        var (classOf, representatives) = ByteClasses(nfa);
        var columns = representatives.Length;
        var sets = new List<int[]>();
        var index = new Dictionary<StateSet, int>();
        var next = new List<int>();
        var closure = new Closure(nfa);

        int Intern(int[] set)
        {
            var key = new StateSet(set);
            if (index.TryGetValue(key, out var id)) return id;
            if (sets.Count >= maxStates)
                throw new ArgumentException(
                    $"The schema needs more than {maxStates} automaton states; lower its maxItems or maxLength, or raise JsonSchemaOptions.MaxStates.");
            index[key] = sets.Count;
            sets.Add(set);
            return sets.Count - 1;
        }

        Intern(closure.Of([start]));
        var targets = new List<int>[columns];
        for (var c = 0; c < columns; c++) targets[c] = [];
        for (var d = 0; d < sets.Count; d++)
        {
            foreach (var list in targets) list.Clear();
            foreach (var s in sets[d])
                foreach (var (lo, hi, to) in nfa.EdgesOf(s))
                    for (int c = classOf[lo]; c <= classOf[hi]; c++)
                        targets[c].Add(to);
            for (var c = 0; c < columns; c++)
                next.Add(targets[c].Count == 0 ? Dead : Intern(closure.Of(targets[c])));
        }

        var accepting = sets.Select(set => Array.BinarySearch(set, accept) >= 0).ToArray();
        var table = next.ToArray();
        var minBytes = MinimumBytes(table, columns, accepting);
        for (var i = 0; i < table.Length; i++)
            if (table[i] != Dead && minBytes[table[i]] == int.MaxValue) table[i] = Dead;
        if (minBytes[0] == int.MaxValue)
            throw new ArgumentException("No JSON value satisfies the schema.");
        return new ByteDfa(classOf, columns, table, accepting, minBytes);
    }

    /// <summary>Splits 0-255 into runs that no edge boundary cuts; classes are numbered in byte order.</summary>
    static (byte[] ClassOf, byte[] Representatives) ByteClasses(ByteNfa nfa)
    {
        var cut = new bool[257];
        cut[0] = true;
        for (var s = 0; s < nfa.Count; s++)
            foreach (var (lo, hi, _) in nfa.EdgesOf(s))
            {
                cut[lo] = true;
                cut[hi + 1] = true;
            }
        var classOf = new byte[256];
        var representatives = new List<byte>();
        for (var b = 0; b < 256; b++)
        {
            if (cut[b]) representatives.Add((byte)b);
            classOf[b] = (byte)(representatives.Count - 1);
        }
        return (classOf, representatives.ToArray());
    }

    /// <summary>Breadth-first search backwards from the accepting states.</summary>
    static int[] MinimumBytes(int[] table, int columns, bool[] accepting)
    {
        var count = accepting.Length;
        var predecessors = new List<int>[count];
        for (var s = 0; s < count; s++) predecessors[s] = [];
        for (var s = 0; s < count; s++)
            for (var c = 0; c < columns; c++)
                if (table[s * columns + c] is var t and not Dead) predecessors[t].Add(s);
        var distance = Enumerable.Repeat(int.MaxValue, count).ToArray();
        var queue = new Queue<int>();
        for (var s = 0; s < count; s++)
            if (accepting[s])
            {
                distance[s] = 0;
                queue.Enqueue(s);
            }
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            foreach (var p in predecessors[s])
                if (distance[p] == int.MaxValue)
                {
                    distance[p] = distance[s] + 1;
                    queue.Enqueue(p);
                }
        }
        return distance;
    }

    /// <summary>Epsilon closures, reusing one mark array.</summary>
    sealed class Closure(ByteNfa nfa)
    {
        readonly int[] _mark = new int[nfa.Count];
        readonly Stack<int> _stack = new();
        readonly List<int> _members = [];
        int _stamp;

        public int[] Of(IEnumerable<int> seeds)
        {
            _stamp++;
            _members.Clear();
            foreach (var seed in seeds) Visit(seed);
            while (_stack.Count > 0)
                foreach (var e in nfa.EpsilonsOf(_stack.Pop())) Visit(e);
            var set = _members.ToArray();
            Array.Sort(set);
            return set;
        }

        void Visit(int state)
        {
            if (_mark[state] == _stamp) return;
            _mark[state] = _stamp;
            _members.Add(state);
            _stack.Push(state);
        }
    }

    /// <summary>A sorted set of NFA states compared by content.</summary>
    readonly struct StateSet(int[] states) : IEquatable<StateSet>
    {
        readonly int _hash = Hash(states);

        public bool Equals(StateSet other) => _hash == other._hash && states.AsSpan().SequenceEqual(other.States);

        public override bool Equals(object? obj) => obj is StateSet other && Equals(other);

        public override int GetHashCode() => _hash;

        int[] States => states;

        static int Hash(int[] states)
        {
            var hash = new HashCode();
            foreach (var s in states) hash.Add(s);
            return hash.ToHashCode();
        }
    }
}
