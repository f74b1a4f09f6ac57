using System.Globalization;
using CsCheck;

namespace ModelDsl.Generators.Tests.Fuzz;

/// <summary>An integer argument as written in C# and the value the compiler gives it.</summary>
internal readonly record struct IntArg(string Text, long Value)
{
    public IntArg(int value) : this(value.ToString(CultureInfo.InvariantCulture), value) { }
}

/// <summary>A floating-point argument as written in C# and the value the compiler gives it.</summary>
internal readonly record struct DoubleArg(string Text, double Value);

/// <summary>Argument values: mostly plausible, often at or beyond the edges.</summary>
internal static class FuzzValues
{
    static readonly IntArg[] ExtremeInts =
    [
        new("0", 0), new("-1", -1), new("-64", -64), new("int.MaxValue", int.MaxValue), new("int.MinValue", int.MinValue),
        new("1 << 30", 1 << 30), new("2147483646", 2147483646),
    ];

    /// <summary>Sizes: small valid ones most of the time, extremes and arbitrary ints otherwise.</summary>
    public static readonly Gen<IntArg> Int = Gen.Frequency(
        (6, Gen.Int[1, 8].Select(i => new IntArg(i))),
        (2, Gen.OneOf(ExtremeInts)),
        (1, Gen.Int.Select(i => i == int.MinValue ? new IntArg("int.MinValue", i) : new IntArg(i))));

    /// <summary>A count that is valid for small models: 1 to 4.</summary>
    public static readonly Gen<IntArg> SmallPositive = Gen.Int[1, 4].Select(i => new IntArg(i));

    /// <summary>Epsilons, probabilities, alphas: normal values and every IEEE edge.</summary>
    public static readonly Gen<DoubleArg> Double = Gen.OneOf(
        new DoubleArg("1e-5", 1e-5), new DoubleArg("0.1", 0.1), new DoubleArg("0.5", 0.5), new DoubleArg("0.999", 0.999),
        new DoubleArg("16", 16), new DoubleArg("0.1f", 0.1f), new DoubleArg("0.0", 0.0), new DoubleArg("-0.0", -0.0),
        new DoubleArg("1.0", 1.0), new DoubleArg("-1e-5", -1e-5), new DoubleArg("double.NaN", double.NaN),
        new DoubleArg("double.PositiveInfinity", double.PositiveInfinity), new DoubleArg("double.NegativeInfinity", double.NegativeInfinity),
        new DoubleArg("1e308", 1e308), new DoubleArg("double.Epsilon", double.Epsilon), new DoubleArg("double.MaxValue", double.MaxValue));

    /// <summary>Present (most of the time) or left out.</summary>
    public static Gen<T?> Optional<T>(Gen<T> gen) where T : struct =>
        Gen.Frequency((3, gen.Select(v => (T?)v)), (1, Gen.Const(default(T?))));

    /// <summary>Present (most of the time) or left out.</summary>
    public static Gen<T?> OptionalRef<T>(Gen<T> gen) where T : class =>
        Gen.Frequency((3, gen.Select(v => (T?)v)), (1, Gen.Const((T?)null)));

    /// <summary>A named argument, or nothing when the value is absent.</summary>
    public static string Named(string name, IntArg? value) => value is { } v ? $"{name} = {v.Text}" : "";

    public static string Named(string name, DoubleArg? value) => value is { } v ? $"{name} = {v.Text}" : "";

    /// <summary>Joins the non-empty arguments.</summary>
    public static string Arguments(params string[] parts) => string.Join(", ", System.Array.FindAll(parts, p => p.Length > 0));
}
