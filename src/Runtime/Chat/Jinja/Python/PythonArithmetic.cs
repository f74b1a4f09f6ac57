using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Python's arithmetic on template values: int/float promotion, true and floor division, modulo with the divisor's
/// sign, string and list concatenation and repetition. Integers are 64-bit; results beyond that are refused.
/// </summary>
internal static class PythonArithmetic
{
    public static object? Binary(string op, object? a, object? b)
    {
        if (a is Undefined ua) throw ua.Error();
        if (b is Undefined ub) throw ub.Error();
        return op switch
        {
            "+" => Add(a, b),
            "-" => Numeric(op, a, b, (x, y) => checked(x - y), (x, y) => x - y),
            "*" => Multiply(a, b),
            "/" => Divide(a, b),
            "//" => FloorDivide(a, b),
            "%" => Modulo(a, b),
            "**" => Power(a, b),
            _ => throw new InvalidOperationException(op),
        };
    }

    public static object? Negate(object? value, bool minus)
    {
        if (value is Undefined u) throw u.Error();
        return value switch
        {
            double d => (object)(minus ? -d : d),
            long or bool when minus => Checked(() => -PythonTypes.AsLong(value)),
            long or bool => (object)PythonTypes.AsLong(value),
            _ => throw JinjaException.TypeError($"bad operand type for unary {(minus ? "-" : "+")}: '{PythonTypes.NameOf(value)}'"),
        };
    }

    static object? Add(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => x + y,
        (List<object?> x, List<object?> y) => x.Concat(y).ToList(),
        (PyTuple x, PyTuple y) => new PyTuple([.. x, .. y]),
        _ => Numeric("+", a, b, (x, y) => checked(x + y), (x, y) => x + y),
    };

    static object? Multiply(object? a, object? b)
    {
        if (PythonTypes.IsInt(b) && a is string or List<object?> or PyTuple) return Repeat(a, PythonTypes.AsLong(b));
        if (PythonTypes.IsInt(a) && b is string or List<object?> or PyTuple) return Repeat(b, PythonTypes.AsLong(a));
        return Numeric("*", a, b, (x, y) => checked(x * y), (x, y) => x * y);
    }

    static object Repeat(object? sequence, long times)
    {
        var n = (int)Math.Max(0, Math.Min(times, int.MaxValue));
        switch (sequence)
        {
            case string s:
                var sb = new StringBuilder(s.Length * n);
                for (var i = 0; i < n; i++) sb.Append(s);
                return sb.ToString();
            case List<object?> list: return Enumerable.Repeat(list, n).SelectMany(x => x).ToList();
            default: return new PyTuple([.. Enumerable.Repeat((PyTuple)sequence!, n).SelectMany(x => x)]);
        }
    }

    static object Divide(object? a, object? b)
    {
        RequireNumbers("/", a, b);
        var y = PythonTypes.AsDouble(b);
        if (y == 0) throw ZeroDivision(a is double || b is double ? "float division by zero" : "division by zero");
        return PythonTypes.AsDouble(a) / y;
    }

    static object FloorDivide(object? a, object? b)
    {
        RequireNumbers("//", a, b);
        if (a is double || b is double) return FloatDivMod(PythonTypes.AsDouble(a), PythonTypes.AsDouble(b), "float floor division by zero").Quotient;
        var (x, y) = (PythonTypes.AsLong(a), PythonTypes.AsLong(b));
        if (y == 0) throw ZeroDivision("integer division or modulo by zero");
        if (x == long.MinValue && y == -1) throw Overflow();
        var q = x / y;
        return (x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q;
    }

    static object Modulo(object? a, object? b)
    {
        if (a is string format) return PercentFormat.Apply(format, b);
        RequireNumbers("%", a, b);
        if (a is double || b is double) return FloatDivMod(PythonTypes.AsDouble(a), PythonTypes.AsDouble(b), "float modulo").Remainder;
        var (x, y) = (PythonTypes.AsLong(a), PythonTypes.AsLong(b));
        if (y == 0) throw ZeroDivision("integer division or modulo by zero");
        if (y == -1) return 0L;
        var r = x % y;
        return r != 0 && (r < 0) != (y < 0) ? r + y : r;
    }

    /// <summary>CPython's <c>float_divmod</c>: remainder with the divisor's sign, quotient floored consistently.</summary>
    static (double Quotient, double Remainder) FloatDivMod(double vx, double wx, string zeroMessage)
    {
        if (wx == 0) throw ZeroDivision(zeroMessage);
        var mod = vx % wx;
        var div = (vx - mod) / wx;
        if (mod != 0)
        {
            if ((wx < 0) != (mod < 0))
            {
                mod += wx;
                div -= 1.0;
            }
        }
        else mod = Math.CopySign(0.0, wx);
        double floordiv;
        if (div != 0)
        {
            floordiv = Math.Floor(div);
            if (div - floordiv > 0.5) floordiv += 1.0;
        }
        else floordiv = Math.CopySign(0.0, vx / wx);
        return (floordiv, mod);
    }

    static object Power(object? a, object? b)
    {
        RequireNumbers("**", a, b);
        if (a is double || b is double)
        {
            var (x, y) = (PythonTypes.AsDouble(a), PythonTypes.AsDouble(b));
            if (x == 0 && y < 0) throw ZeroDivision("0.0 cannot be raised to a negative power");
            if (x < 0 && y != Math.Floor(y)) throw JinjaException.Unsupported("A negative number raised to a fractional power (a complex result)");
            var result = Math.Pow(x, y);
            if (double.IsInfinity(result) && !double.IsInfinity(x) && !double.IsInfinity(y)) throw new JinjaException(JinjaErrorKind.Runtime, "(34, 'Numerical result out of range')");
            return result;
        }
        var (bas, exp) = (PythonTypes.AsLong(a), PythonTypes.AsLong(b));
        if (exp < 0)
        {
            if (bas == 0) throw ZeroDivision("0.0 cannot be raised to a negative power");
            return Math.Pow(bas, exp);
        }
        return Checked(() =>
        {
            long result = 1, factor = bas;
            for (var e = exp; e > 0; e >>= 1)
            {
                if ((e & 1) != 0) result = checked(result * factor);
                if (e > 1) factor = checked(factor * factor);
            }
            return result;
        });
    }

    static object Numeric(string op, object? a, object? b, Func<long, long, long> integer, Func<double, double, double> floating)
    {
        RequireNumbers(op, a, b);
        if (a is double || b is double) return floating(PythonTypes.AsDouble(a), PythonTypes.AsDouble(b));
        return Checked(() => integer(PythonTypes.AsLong(a), PythonTypes.AsLong(b)));
    }

    static void RequireNumbers(string op, object? a, object? b)
    {
        if (!PythonTypes.IsNumber(a) || !PythonTypes.IsNumber(b))
            throw JinjaException.TypeError($"unsupported operand type(s) for {op}: '{PythonTypes.NameOf(a)}' and '{PythonTypes.NameOf(b)}'");
    }

    static object Checked(Func<long> compute)
    {
        try { return compute(); }
        catch (OverflowException) { throw Overflow(); }
    }

    static JinjaException Overflow() => JinjaException.Unsupported("Integer arithmetic beyond 64 bits");

    static JinjaException ZeroDivision(string message) => new(JinjaErrorKind.Runtime, message);
}
