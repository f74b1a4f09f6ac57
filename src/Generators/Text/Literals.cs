using System.Globalization;

namespace ModelDsl.Generators.Text;

/// <summary>C# literals written with the invariant culture, whatever the build machine's locale.</summary>
internal static class Literals
{
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Long(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";

    public static string Double(double value)
    {
        // "R" writes NaN and ∞ as words that are not C#.
        if (double.IsNaN(value)) return "global::System.Double.NaN";
        if (double.IsPositiveInfinity(value)) return "global::System.Double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "global::System.Double.NegativeInfinity";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A grouped number for documentation: 124439808 → "124,439,808".</summary>
    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string String(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";
}
