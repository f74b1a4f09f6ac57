using System;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelDsl.Chat.Jinja;

/// <summary>Python's float text forms and rounding: <c>repr()</c>, <c>round(x, n)</c> and <c>float(str)</c>.</summary>
internal static partial class PythonFloat
{
    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, positional between 1e-4 and 1e16, else
    /// scientific with a two-digit exponent; always a <c>.0</c> on whole numbers.</summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        var (digits, point) = ShortestDigits(Math.Abs(value));
        var sign = value < 0 ? "-" : "";
        if (point > -4 && point <= 16)
        {
            if (point <= 0) return sign + "0." + new string('0', -point) + digits;
            if (point >= digits.Length) return sign + digits + new string('0', point - digits.Length) + ".0";
            return sign + digits[..point] + "." + digits[point..];
        }
        var exponent = point - 1;
        var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
        return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
    }

    /// <summary>The shortest digits that round-trip, and where the decimal point goes (value = 0.DIGITS × 10^point).</summary>
    static (string Digits, int Point) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var integral = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        var digits = integral + fraction;
        var point = integral.Length + exponent;
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0') leading++;
        digits = digits[leading..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, point - leading);
    }

    /// <summary>Python's <c>round(x, n)</c> for floats: the exact binary value rounded half-to-even at 10^-n.</summary>
    public static double Round(double value, long ndigits)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value == 0) return value;
        if (ndigits > 330) return value;
        if (ndigits < -330) return Math.CopySign(0.0, value);
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponentBits = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponentBits == 0) exponentBits = 1; else mantissa |= 1L << 52;
        var binaryExponent = exponentBits - 1075;
        // |value| * 10^ndigits as numerator / denominator, exactly.
        var numerator = new BigInteger(mantissa);
        var denominator = BigInteger.One;
        if (binaryExponent >= 0) numerator <<= binaryExponent; else denominator <<= -binaryExponent;
        if (ndigits >= 0) numerator *= BigInteger.Pow(10, (int)ndigits); else denominator *= BigInteger.Pow(10, (int)-ndigits);
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven)) quotient += 1;
        var result = double.Parse($"{quotient}e{-ndigits}", NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(result)) throw new JinjaException(JinjaErrorKind.Runtime, "rounded value too large to represent");
        return value < 0 ? -result : result;
    }

    /// <summary>Python's <c>round(n, ndigits)</c> for integers (half to even at a negative number of digits).</summary>
    public static long Round(long value, long ndigits)
    {
        if (ndigits >= 0) return value;
        if (ndigits < -18) return 0;
        var unit = (long)Math.Pow(10, -ndigits);
        var q = Math.DivRem(Math.Abs(value), unit, out var r);
        if (r * 2 > unit || (r * 2 == unit && q % 2 == 1)) q++;
        return Math.Sign(value) * q * unit;
    }

    [GeneratedRegex(@"^[+-]?(([0-9](_?[0-9])*)(\.([0-9](_?[0-9])*)?)?|\.[0-9](_?[0-9])*)([eE][+-]?[0-9](_?[0-9])*)?$")]
    private static partial Regex FloatSyntax();

    /// <summary>Python's <c>float(str)</c>, or null where Python raises ValueError.</summary>
    public static double? Parse(string text)
    {
        var s = PythonText.Strip(text);
        var special = s.ToLowerInvariant();
        var negative = special.StartsWith('-');
        if (special.StartsWith('+') || negative) special = special[1..];
        if (special is "inf" or "infinity") return negative ? double.NegativeInfinity : double.PositiveInfinity;
        if (special == "nan") return double.NaN;
        if (!FloatSyntax().IsMatch(s)) return null;
        return double.Parse(s.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Python's <c>int(str, base)</c>, or null where Python raises ValueError.</summary>
    public static long? ParseInt(string text, long radix)
    {
        var s = PythonText.Strip(text);
        var negative = false;
        if (s.StartsWith('+') || s.StartsWith('-')) { negative = s[0] == '-'; s = s[1..]; }
        if (s.Length > 2 && s[0] == '0')
        {
            var prefix = char.ToLowerInvariant(s[1]);
            var prefixRadix = prefix switch { 'x' => 16, 'o' => 8, 'b' => 2, _ => 0 };
            if (prefixRadix != 0 && (radix == prefixRadix || radix == 0)) { radix = prefixRadix; s = s[2..]; if (s.StartsWith('_')) s = s[1..]; }
        }
        if (radix == 0) radix = 10;
        if (s.Length == 0 || s.StartsWith('_') || s.EndsWith('_') || s.Contains("__", StringComparison.Ordinal)) return null;
        BigInteger value = 0;
        foreach (var c in s)
        {
            if (c == '_') continue;
            var digit = c is >= '0' and <= '9' ? c - '0' : char.ToLowerInvariant(c) is >= 'a' and <= 'z' ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= radix) return null;
            value = value * radix + digit;
        }
        if (negative) value = -value;
        if (value > long.MaxValue || value < long.MinValue) throw JinjaException.Unsupported("An integer beyond 64 bits");
        return (long)value;
    }
}
