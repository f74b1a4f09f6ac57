using System;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// The inside of JSON strings as bytes: one code point (raw well-formed UTF-8 other than '"', '\' and control
/// characters, or an escape: \" \\ \/ \b \f \n \r \t, \uXXXX of a non-surrogate, or a \uD8xx\uDCxx surrogate pair),
/// and the date and date-time formats.
/// </summary>
internal static class StringGrammar
{
    /// <summary>Exactly one code point from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void CodePoint(ByteNfa nfa, int from, int to)
    {
        nfa.Edge(from, (byte)0x20, (byte)0x21, to);   // printable ASCII except '"' (0x22) and '\' (0x5C)
        nfa.Edge(from, (byte)0x23, (byte)0x5B, to);
        nfa.Edge(from, (byte)0x5D, (byte)0x7F, to);

        // Well-formed UTF-8 (Unicode table 3-7): no overlong forms, no surrogates, nothing above U+10FFFF.
        var oneLeft = nfa.Add();
        nfa.Edge(oneLeft, (byte)0x80, (byte)0xBF, to);
        var twoLeft = nfa.Add();
        nfa.Edge(twoLeft, (byte)0x80, (byte)0xBF, oneLeft);
        var threeLeft = nfa.Add();
        nfa.Edge(threeLeft, (byte)0x80, (byte)0xBF, twoLeft);
        nfa.Edge(from, (byte)0xC2, (byte)0xDF, oneLeft);
        Lead(nfa, from, 0xE0, 0xA0, 0xBF, oneLeft);
        nfa.Edge(from, (byte)0xE1, (byte)0xEC, twoLeft);
        Lead(nfa, from, 0xED, 0x80, 0x9F, oneLeft);
        nfa.Edge(from, (byte)0xEE, (byte)0xEF, twoLeft);
        Lead(nfa, from, 0xF0, 0x90, 0xBF, twoLeft);
        nfa.Edge(from, (byte)0xF1, (byte)0xF3, threeLeft);
        Lead(nfa, from, 0xF4, 0x80, 0x8F, twoLeft);

        var escape = nfa.Add();
        nfa.Edge(from, '\\', escape);
        foreach (var c in "\"\\/bfnrt") nfa.Edge(escape, c, to);
        var u = nfa.Add();
        nfa.Edge(escape, 'u', u);
        var hex3 = HexChain(nfa, 3, to);   // three hex digits, then done
        nfa.Edge(u, '0', '9', hex3);
        nfa.Edge(u, 'a', 'c', hex3);
        nfa.Edge(u, 'A', 'C', hex3);
        nfa.Edge(u, 'e', 'f', hex3);
        nfa.Edge(u, 'E', 'F', hex3);
        var d = nfa.Add();
        nfa.Edge(u, 'd', d);
        nfa.Edge(u, 'D', d);
        nfa.Edge(d, '0', '7', HexChain(nfa, 2, to));   // \uD000-\uD7FF: not a surrogate
        // A high surrogate \uD800-\uDBFF must be followed by a low one \uDC00-\uDFFF.
        var high = nfa.Add();
        nfa.Edge(d, '8', '9', high);
        nfa.Edge(d, 'a', 'b', high);
        nfa.Edge(d, 'A', 'B', high);
        var lowStart = nfa.Add();
        var highDone = HexChain(nfa, 2, lowStart);
        nfa.Epsilon(high, highDone);
        var u2 = nfa.Bytes(lowStart, "\\u"u8);
        var d2 = nfa.Add();
        nfa.Edge(u2, 'd', d2);
        nfa.Edge(u2, 'D', d2);
        var low = HexChain(nfa, 2, to);
        nfa.Edge(d2, 'c', 'f', low);
        nfa.Edge(d2, 'C', 'F', low);
    }

    static void Lead(ByteNfa nfa, int from, byte lead, byte lo, byte hi, int then)
    {
        var next = nfa.Add();
        nfa.Edge(from, lead, lead, next);
        nfa.Edge(next, lo, hi, then);
    }

    /// <summary>A new state from which <paramref name="count"/> hex digits lead to <paramref name="to"/>.</summary>
    static int HexChain(ByteNfa nfa, int count, int to)
    {
        var target = to;
        for (var i = 0; i < count; i++)
        {
            var state = nfa.Add();
            Hex(nfa, state, target);
            target = state;
        }
        return target;
    }

    static void Hex(ByteNfa nfa, int from, int to)
    {
        nfa.Edge(from, '0', '9', to);
        nfa.Edge(from, 'a', 'f', to);
        nfa.Edge(from, 'A', 'F', to);
    }

    /// <summary>
    /// A calendar date yyyy-MM-dd of years 0001-9999 with the right number of days in each month (29 February only in
    /// leap years), as <c>DateOnly</c> parses it.
    /// </summary>
    public static void Date(ByteNfa nfa, int from, int to) => Date(nfa, from, to, firstCentury: 0, lastCentury: 99);

    /// <summary>A date whose year lies in centuries <paramref name="firstCentury"/> to <paramref name="lastCentury"/> (year 0 excluded).</summary>
    static void Date(ByteNfa nfa, int from, int to, int firstCentury, int lastCentury)
    {
        var year = nfa.Add();
        Digits(nfa, from, year, $"{Math.Max(1, firstCentury * 100):0000}", $"{lastCentury * 100 + 99:0000}");
        var dash = nfa.Add();
        nfa.Edge(year, '-', dash);
        foreach (var month in new[] { "01", "03", "05", "07", "08", "10", "12" }) MonthDays(nfa, dash, to, month, "31");
        foreach (var month in new[] { "04", "06", "09", "11" }) MonthDays(nfa, dash, to, month, "30");
        MonthDays(nfa, dash, to, "02", "28");

        // Leap years: divisible by 4, except centuries, which must be divisible by 400.
        var leapYear = nfa.Add();
        var century = nfa.Add();
        Digits(nfa, from, century, $"{firstCentury:00}", $"{lastCentury:00}");
        for (var y = 4; y < 100; y += 4) nfa.Bytes(century, Ascii($"{y:00}"), leapYear);
        for (var c = Math.Max(4, firstCentury); c <= lastCentury; c++)
            if (c % 4 == 0) nfa.Bytes(from, Ascii($"{c:00}00"), leapYear);
        nfa.Bytes(leapYear, "-02-29"u8, to);
    }

    static void MonthDays(ByteNfa nfa, int from, int to, string month, string lastDay)
    {
        var day = nfa.Bytes(nfa.Bytes(from, Ascii(month)), "-"u8);
        Digits(nfa, day, to, "01", lastDay);
    }

    /// <summary>
    /// yyyy-MM-ddTHH:mm:ss, an optional fraction of 1 to 7 digits, then Z or an offset ±HH:mm (up to ±14:00). Years
    /// are kept within 1000-8999 so that no offset moves the instant outside the range of <c>DateTimeOffset</c>.
    /// </summary>
    public static void DateTime(ByteNfa nfa, int from, int to)
    {
        var date = nfa.Add();
        Date(nfa, from, date, firstCentury: 10, lastCentury: 89);
        var hour = nfa.Add();
        Digits(nfa, nfa.Bytes(date, "T"u8), hour, "00", "23");
        var minute = nfa.Add();
        Digits(nfa, nfa.Bytes(hour, ":"u8), minute, "00", "59");
        var second = nfa.Add();
        Digits(nfa, nfa.Bytes(minute, ":"u8), second, "00", "59");
        var zone = nfa.Add();
        nfa.Epsilon(second, zone);
        var digits = nfa.Bytes(second, "."u8);
        for (var i = 0; i < 7; i++)
        {
            var next = nfa.Add();
            nfa.Edge(digits, '0', '9', next);
            nfa.Epsilon(next, zone);
            digits = next;
        }
        nfa.Edge(zone, 'Z', to);
        var sign = nfa.Add();
        nfa.Edge(zone, '+', sign);
        nfa.Edge(zone, '-', sign);
        var offsetHour = nfa.Add();
        Digits(nfa, sign, offsetHour, "00", "13");
        Digits(nfa, nfa.Bytes(offsetHour, ":"u8), to, "00", "59");
        nfa.Bytes(sign, "14:00"u8, to);
    }

    /// <summary>Fixed-width decimal strings from <paramref name="lo"/> to <paramref name="hi"/> (same length).</summary>
    public static void Digits(ByteNfa nfa, int from, int to, string lo, string hi) => IntegerGrammar.SameLength(nfa, from, to, lo, hi);

    static byte[] Ascii(string s) => System.Text.Encoding.ASCII.GetBytes(s);
}
