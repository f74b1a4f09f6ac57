using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Ways to damage a valid JSON configuration: a field given a value of the wrong type or an absurd size, a field
/// removed or repeated, unknown fields, deep or huge values, another root, and text-level damage.
/// </summary>
internal static class JsonMutations
{
    static readonly string[] Values =
    [
        "null", "true", "false", "\"\"", "\"32\"", "\"gelu_new\"", "\"\\uD800\"", "0", "-1", "1", "2", "1.5", "-0.0", "1e400", "-1e400", "1e-400",
        "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "18446744073709551616", "1000000", "65536",
        "[]", "[1]", "[\"x\"]", "{}", "{\"a\":1}", "\"NaN\"", "\"Infinity\"",
    ];

    /// <summary>One case: <paramref name="valid"/> (a JSON object's text) with one to three mutations, and what was done.</summary>
    public static (string Json, string Description) Case(string valid, Random random)
    {
        var fields = Fields(valid);
        var applied = new List<string>();
        if (random.Next(20) == 0) return (valid, "unmutated");
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var key = fields.Count > 0 ? fields[random.Next(fields.Count)].Key : "x";
            switch (random.Next(9))
            {
                case 0 or 1 or 2:
                    Set(fields, key, Values[random.Next(Values.Length)]);
                    applied.Add($"{key} := junk");
                    break;
                case 3:
                    Set(fields, key, new[] { "1000000", "2147483647", "100000000", "65535", "1048576" }[random.Next(5)]);
                    applied.Add($"{key} := absurd size");
                    break;
                case 4:
                    fields.RemoveAll(f => f.Key == key);
                    applied.Add($"{key} removed");
                    break;
                case 5:
                    fields.Add(new(key, Values[random.Next(Values.Length)]));
                    applied.Add($"{key} repeated");
                    break;
                case 6:
                    var depth = random.Next(100, 20_000);
                    Set(fields, key, new string('[', depth) + new string(']', depth));
                    applied.Add($"{key} := {depth}-deep array");
                    break;
                case 7:
                    Set(fields, key, "\"" + new string('x', random.Next(10_000, 1_000_000)) + "\"");
                    applied.Add($"{key} := huge string");
                    break;
                default:
                    fields.Add(new("unknown_" + random.Next(100), Values[random.Next(Values.Length)]));
                    applied.Add("unknown field");
                    break;
            }
        }
        var text = "{" + string.Join(",", fields.Select(f => $"{JsonSerializer.Serialize(f.Key)}:{f.Value}")) + "}";
        switch (random.Next(8))
        {
            case 0:
                text = text[..random.Next(text.Length)];
                applied.Add("truncated");
                break;
            case 1:
                var chars = text.ToCharArray();
                const string replacements = "{}[]\",:0x\\ \u0000\uFFFF";
                chars[random.Next(chars.Length)] = replacements[random.Next(replacements.Length)];
                text = new string(chars);
                applied.Add("character replaced");
                break;
            case 2:
                text = new[] { "[]", "null", "\"config\"", "42", "", " ", "{" }[random.Next(7)];
                applied.Add("root replaced");
                break;
        }
        return (text, string.Join(" + ", applied));
    }

    static List<KeyValuePair<string, string>> Fields(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetRawText())).ToList();
    }

    static void Set(List<KeyValuePair<string, string>> fields, string key, string value)
    {
        var index = fields.FindIndex(f => f.Key == key);
        if (index < 0) fields.Add(new(key, value));
        else fields[index] = new(key, value);
    }
}
