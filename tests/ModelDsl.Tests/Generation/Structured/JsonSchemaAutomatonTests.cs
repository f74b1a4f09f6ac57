using System;
using System.Text;
using ModelDsl.Generation.Structured;
using Xunit;

namespace ModelDsl.Tests.Generation.Structured;

/// <summary>Byte strings the automaton must accept or reject, written out by hand from the JSON and JSON Schema rules.</summary>
public sealed class JsonSchemaAutomatonTests
{
    static JsonSchemaConstraint Of(string schema) => JsonSchemaConstraint.Parse(schema);

    [Theory]
    [InlineData("-12", true)]
    [InlineData("0", true)]
    [InlineData("305", true)]
    [InlineData("99", true)]
    [InlineData("-1", true)]
    [InlineData("-0", false)]
    [InlineData("306", false)]
    [InlineData("-13", false)]
    [InlineData("012", false)]
    [InlineData("1.0", false)]
    [InlineData(" 1", false)]
    [InlineData("", false)]
    public void Integer_bounds(string text, bool accepted) =>
        Assert.Equal(accepted, Of("""{"type":"integer","minimum":-12,"maximum":305}""").Accepts(text));

    [Fact]
    public void An_integer_without_bounds_stays_inside_a_CSharp_int()
    {
        var integer = Of("""{"type":"integer"}""");
        Assert.True(integer.Accepts("2147483647"));
        Assert.True(integer.Accepts("-2147483648"));
        Assert.False(integer.Accepts("2147483648"));
        Assert.False(integer.Accepts("-2147483649"));
        var wide = JsonSchemaConstraint.Parse("""{"type":"integer"}""", new JsonSchemaOptions { DefaultIntegerMaximum = long.MaxValue });
        Assert.True(wide.Accepts("9223372036854775807"));
        Assert.False(wide.Accepts("9223372036854775808"));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-3", true)]
    [InlineData("0.5", true)]
    [InlineData("-10.25", true)]
    [InlineData("123456789012345", true)]
    [InlineData("1234567890123456", false)]   // 16 digits before the point
    [InlineData("0.123456789012345", true)]
    [InlineData("0.1234567890123456", false)]
    [InlineData("01", false)]
    [InlineData("1.", false)]
    [InlineData(".5", false)]
    [InlineData("1e5", false)]
    [InlineData("-", false)]
    [InlineData("+1", false)]
    public void Numbers_in_plain_decimal_notation(string text, bool accepted) =>
        Assert.Equal(accepted, Of("""{"type":"number"}""").Accepts(text));

    [Theory]
    [InlineData("\"\"", true)]
    [InlineData("\"plain text\"", true)]
    [InlineData("\"quote \\\" and backslash \\\\ and slash \\/\"", true)]
    [InlineData("\"\\b\\f\\n\\r\\t\"", true)]
    [InlineData("\"\\u00e9\\u00C9\\uFFFF\"", true)]
    [InlineData("\"\\ud83d\\ude00\"", true)]          // a surrogate pair
    [InlineData("\"\\ud83d\"", false)]                // a lone high surrogate
    [InlineData("\"\\ude00\"", false)]                // a lone low surrogate
    [InlineData("\"\\ud83d\\u0041\"", false)]         // a high surrogate followed by a non-surrogate
    [InlineData("\"\\x41\"", false)]
    [InlineData("\"\\u12\"", false)]
    [InlineData("\"unterminated", false)]
    [InlineData("\"two\"\"", false)]
    public void String_escapes(string text, bool accepted) =>
        Assert.Equal(accepted, Of("""{"type":"string"}""").Accepts(text));

    [Theory]
    [InlineData(new byte[] { 0x22, 0xC3, 0xA9, 0x22 }, true)]                     // é
    [InlineData(new byte[] { 0x22, 0xE2, 0x82, 0xAC, 0x22 }, true)]               // €
    [InlineData(new byte[] { 0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22 }, true)]         // 😀
    [InlineData(new byte[] { 0x22, 0x7F, 0x22 }, true)]                           // DEL needs no escape
    [InlineData(new byte[] { 0x22, 0x0A, 0x22 }, false)]                          // raw newline
    [InlineData(new byte[] { 0x22, 0x1F, 0x22 }, false)]                          // raw control character
    [InlineData(new byte[] { 0x22, 0xC3, 0x22 }, false)]                          // truncated sequence
    [InlineData(new byte[] { 0x22, 0xC0, 0x80, 0x22 }, false)]                    // overlong NUL
    [InlineData(new byte[] { 0x22, 0xE0, 0x80, 0x80, 0x22 }, false)]              // overlong
    [InlineData(new byte[] { 0x22, 0xED, 0xA0, 0x80, 0x22 }, false)]              // UTF-8 encoded surrogate
    [InlineData(new byte[] { 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22 }, false)]        // above U+10FFFF
    [InlineData(new byte[] { 0x22, 0xA9, 0x22 }, false)]                          // lone continuation byte
    [InlineData(new byte[] { 0x22, 0xFF, 0x22 }, false)]
    public void String_bytes_are_well_formed_UTF8_without_raw_control_characters(byte[] bytes, bool accepted) =>
        Assert.Equal(accepted, Of("""{"type":"string"}""").Accepts(bytes));

    [Theory]
    [InlineData("\"ab\"", true)]
    [InlineData("\"abcd\"", true)]
    [InlineData("\"a\"", false)]
    [InlineData("\"abcde\"", false)]
    [InlineData("\"éé\"", true)]                   // code points, not bytes
    [InlineData("\"😀😀😀😀\"", true)]
    [InlineData("\"\\ud83d\\ude00x\"", true)]       // an escaped pair is one code point
    [InlineData("\"\\n\\n\\n\\n\\n\"", false)]
    public void String_lengths_count_code_points(string text, bool accepted) =>
        Assert.Equal(accepted, Of("""{"type":"string","minLength":2,"maxLength":4}""").Accepts(text));

    [Theory]
    [InlineData("\"2024-02-29\"", true)]    // divisible by 4
    [InlineData("\"2000-02-29\"", true)]    // divisible by 400
    [InlineData("\"1900-02-29\"", false)]   // a century not divisible by 400
    [InlineData("\"2023-02-29\"", false)]
    [InlineData("\"2023-02-28\"", true)]
    [InlineData("\"2023-04-31\"", false)]
    [InlineData("\"2023-12-31\"", true)]
    [InlineData("\"2023-13-01\"", false)]
    [InlineData("\"2023-00-10\"", false)]
    [InlineData("\"2023-01-00\"", false)]
    [InlineData("\"0000-01-01\"", false)]   // DateOnly has no year 0
    [InlineData("\"0001-01-01\"", true)]
    [InlineData("\"0004-02-29\"", true)]
    [InlineData("\"9999-12-31\"", true)]
    [InlineData("\"2023-1-01\"", false)]
    public void Dates_are_real_calendar_days(string text, bool accepted) =>
        Assert.Equal(accepted, Of("""{"type":"string","format":"date"}""").Accepts(text));

    [Theory]
    [InlineData("\"2024-02-29T23:59:59Z\"", true)]
    [InlineData("\"2024-02-29T23:59:59.1234567+14:00\"", true)]
    [InlineData("\"2024-02-29T00:00:00-05:30\"", true)]
    [InlineData("\"2024-02-29T24:00:00Z\"", false)]
    [InlineData("\"2024-02-29T23:60:00Z\"", false)]
    [InlineData("\"2024-02-29T23:59:59.12345678Z\"", false)]
    [InlineData("\"2024-02-29T23:59:59+14:30\"", false)]
    [InlineData("\"2024-02-29T23:59:59\"", false)]
    [InlineData("\"2023-02-29T00:00:00Z\"", false)]
    public void Date_times_with_a_zone(string text, bool accepted) =>
        Assert.Equal(accepted, Of("""{"type":"string","format":"date-time"}""").Accepts(text));

    const string Ordered = """
        {"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"integer"}},"required":["b"],"additionalProperties":false}
        """;

    [Theory]
    [InlineData("{\"b\":1}", true)]
    [InlineData("{\"a\":1,\"b\":2}", true)]
    [InlineData("{\"b\":1,\"c\":2}", true)]
    [InlineData("{\"a\":1,\"b\":2,\"c\":3}", true)]
    [InlineData("{}", false)]
    [InlineData("{\"a\":1}", false)]
    [InlineData("{\"b\":1,\"a\":2}", false)]       // schema order only
    [InlineData("{,\"b\":1}", false)]
    [InlineData("{\"b\":1,}", false)]
    [InlineData("{\"b\": 1}", false)]              // compact: no whitespace
    [InlineData("{\"b\":1,\"d\":2}", false)]
    public void Objects_list_properties_in_schema_order_and_may_skip_optional_ones(string text, bool accepted) =>
        Assert.Equal(accepted, Of(Ordered).Accepts(text));

    [Theory]
    [InlineData("[true]", true)]
    [InlineData("[true,false,true]", true)]
    [InlineData("[]", false)]
    [InlineData("[true,false,true,false]", false)]
    [InlineData("[true,]", false)]
    [InlineData("[null]", false)]
    public void Arrays_respect_min_and_max_items(string text, bool accepted) =>
        Assert.Equal(accepted, Of("""{"type":"array","items":{"type":"boolean"},"minItems":1,"maxItems":3}""").Accepts(text));

    [Fact]
    public void An_unbounded_array_loops()
    {
        var array = Of("""{"type":"array","items":{"type":"integer","minimum":0,"maximum":9}}""");
        Assert.True(array.Accepts("[]"));
        Assert.True(array.Accepts("[" + string.Join(",", new string('7', 200).ToCharArray()) + "]"));
        Assert.False(array.Accepts("[10]"));
    }

    [Theory]
    [InlineData("\"x\"", true)]
    [InlineData("null", true)]
    [InlineData("3", false)]
    [InlineData("nul", false)]
    [InlineData("nulll", false)]
    public void Type_arrays_are_unions(string text, bool accepted) =>
        Assert.Equal(accepted, Of("""{"type":["string","null"]}""").Accepts(text));

    [Theory]
    [InlineData("{\"k\":[1,{\"x\":null}]}", true)]
    [InlineData("\"a\\\"b\"", true)]
    [InlineData("1.50", true)]
    [InlineData("true", true)]
    [InlineData("1.5", false)]
    [InlineData("{\"k\":[1,{\"x\":null}],\"z\":1}", false)]
    public void Enum_members_are_any_JSON_values(string text, bool accepted) =>
        Assert.Equal(accepted, Of("""{"enum":[{"k":[1,{"x":null}]},"a\"b",1.50,true]}""").Accepts(text));

    [Fact]
    public void Enum_members_of_another_type_are_dropped()
    {
        var enumeration = Of("""{"type":"string","enum":["a",1,"b",null]}""");
        Assert.True(enumeration.Accepts("\"a\""));
        Assert.False(enumeration.Accepts("1"));
        Assert.False(enumeration.Accepts("null"));
    }

    [Fact]
    public void Recursive_references_unroll_to_the_given_depth()
    {
        const string tree = """
            {"$ref":"#/$defs/Node","$defs":{"Node":{"type":"object","properties":{
              "v":{"type":"integer","minimum":0,"maximum":9},
              "kids":{"type":"array","items":{"$ref":"#/$defs/Node"}}},"required":["v","kids"]}}}
            """;
        var bounded = JsonSchemaConstraint.Parse(tree, new JsonSchemaOptions { MaxRecursionDepth = 1 });
        Assert.True(bounded.Accepts("""{"v":1,"kids":[]}"""));
        Assert.True(bounded.Accepts("""{"v":1,"kids":[{"v":2,"kids":[]},{"v":3,"kids":[]}]}"""));   // entered once more
        Assert.False(bounded.Accepts("""{"v":1,"kids":[{"v":2,"kids":[]},{"v":3,"kids":[{"v":4,"kids":[]}]}]}"""));
        var deeper = JsonSchemaConstraint.Parse(tree, new JsonSchemaOptions { MaxRecursionDepth = 2 });
        Assert.True(deeper.Accepts("""{"v":1,"kids":[{"v":2,"kids":[]},{"v":3,"kids":[{"v":4,"kids":[]}]}]}"""));
        var error = Assert.Throws<JsonSchemaNotSupportedException>(() => JsonSchemaConstraint.Parse(tree));
        Assert.Equal("$ref", error.Keyword);
        Assert.Contains("MaxRecursionDepth", error.Message);
    }

    [Fact]
    public void Shortest_value_and_minimum_bytes()
    {
        var person = Of(StructuredRecords.PersonSchema);
        Assert.Equal("""{"Name":"","Age":0,"Home":{"Street":"","City":"","PostalCode":1000},"Tags":[],"Active":true}""", person.ShortestValue);
        Assert.Equal(Encoding.UTF8.GetByteCount(person.ShortestValue), person.MinimumBytes);
        Assert.True(person.Accepts(person.ShortestValue));
    }

    [Fact]
    public void Prefixes_of_valid_values_stay_alive_and_others_die_at_the_first_bad_byte()
    {
        var invoice = Of(StructuredRecords.InvoiceSchema);
        const string valid = """{"Id":"A-1","Date":"2024-02-29","Cur":"Usd","Lines":[{"Item":"pen","Qty":2,"Price":1.5}],"Note":null}""";
        Assert.True(invoice.Accepts(valid));
        var bytes = Encoding.UTF8.GetBytes(valid);
        for (var i = 0; i < bytes.Length; i++) Assert.True(invoice.IsPrefix(bytes.AsSpan(0, i)));
        Assert.False(invoice.IsPrefix("{\"Id\":\"A-1\",\"Date\":\"2024-02-30"u8));
    }
}
