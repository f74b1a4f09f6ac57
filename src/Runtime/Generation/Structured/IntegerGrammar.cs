using System.Numerics;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// Integers of a range as digit patterns (the classic split of a range into same-length pieces, each a prefix of
/// fixed digits, one digit range, then free digits): no leading zeros, no "-0".
/// </summary>
internal static class IntegerGrammar
{
    /// <summary>Every integer in [<paramref name="min"/>, <paramref name="max"/>] from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void Range(ByteNfa nfa, int from, int to, long min, long max)
    {
        if (min < 0)
        {
            var negative = nfa.Bytes(from, "-"u8);
            Magnitudes(nfa, negative, to, max < 0 ? -(BigInteger)max : BigInteger.One, -(BigInteger)min);
        }
        if (max >= 0) Magnitudes(nfa, from, to, min < 0 ? BigInteger.Zero : min, max);
    }

    static void Magnitudes(ByteNfa nfa, int from, int to, BigInteger lo, BigInteger hi)
    {
        var loText = lo.ToString();
        var hiText = hi.ToString();
        for (var length = loText.Length; length <= hiText.Length; length++)
        {
            var first = length == loText.Length ? loText : "1" + new string('0', length - 1);
            var last = length == hiText.Length ? hiText : new string('9', length);
            SameLength(nfa, from, to, first, last);
        }
    }

    /// <summary>Decimal strings of one length from <paramref name="lo"/> to <paramref name="hi"/> (leading zeros kept as given).</summary>
    public static void SameLength(ByteNfa nfa, int from, int to, string lo, string hi)
    {
        var n = lo.Length;
        if (n == 1)
        {
            nfa.Edge(from, lo[0], hi[0], to);
            return;
        }
        if (lo[0] == hi[0])
        {
            SameLength(nfa, nfa.Bytes(from, [(byte)lo[0]]), to, lo[1..], hi[1..]);
            return;
        }
        var zeros = new string('0', n - 1);
        var nines = new string('9', n - 1);
        if (lo[1..] == zeros && hi[1..] == nines)
        {
            var any = nfa.Add();
            nfa.Edge(from, lo[0], hi[0], any);
            SameLength(nfa, any, to, zeros, nines);
            return;
        }
        SameLength(nfa, nfa.Bytes(from, [(byte)lo[0]]), to, lo[1..], nines);
        if (hi[0] - lo[0] >= 2)
        {
            var middle = nfa.Add();
            nfa.Edge(from, (char)(lo[0] + 1), (char)(hi[0] - 1), middle);
            SameLength(nfa, middle, to, zeros, nines);
        }
        SameLength(nfa, nfa.Bytes(from, [(byte)hi[0]]), to, zeros, hi[1..]);
    }
}
