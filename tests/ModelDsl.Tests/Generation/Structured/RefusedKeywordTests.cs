using System;
using ModelDsl.Generation.Structured;
using Xunit;

namespace ModelDsl.Tests.Generation.Structured;

/// <summary>Every keyword, value or combination the engine cannot generate is refused by name, never ignored.</summary>
public sealed class RefusedKeywordTests
{
    [Theory]
    [InlineData("pattern", """{"type":"string","pattern":"^a+$"}""")]
    [InlineData("exclusiveMinimum", """{"type":"integer","exclusiveMinimum":0}""")]
    [InlineData("exclusiveMaximum", """{"type":"integer","exclusiveMaximum":10}""")]
    [InlineData("multipleOf", """{"type":"integer","multipleOf":3}""")]
    [InlineData("allOf", """{"allOf":[{"type":"string"}]}""")]
    [InlineData("not", """{"not":{"type":"string"}}""")]
    [InlineData("if", """{"type":"integer","if":{"minimum":1},"then":{"maximum":3}}""")]
    [InlineData("prefixItems", """{"type":"array","prefixItems":[{"type":"integer"}],"items":{"type":"integer"}}""")]
    [InlineData("patternProperties", """{"type":"object","patternProperties":{"^x":{"type":"integer"}}}""")]
    [InlineData("propertyNames", """{"type":"object","propertyNames":{"maxLength":3}}""")]
    [InlineData("minProperties", """{"type":"object","properties":{"a":{"type":"integer"}},"minProperties":1}""")]
    [InlineData("maxProperties", """{"type":"object","maxProperties":1}""")]
    [InlineData("uniqueItems", """{"type":"array","items":{"type":"integer"},"uniqueItems":true}""")]
    [InlineData("contains", """{"type":"array","items":{"type":"integer"},"contains":{"const":1}}""")]
    [InlineData("dependentRequired", """{"type":"object","dependentRequired":{"a":["b"]}}""")]
    [InlineData("unevaluatedProperties", """{"type":"object","unevaluatedProperties":false}""")]
    [InlineData("$id", """{"$id":"https://example.test/s","type":"string"}""")]
    [InlineData("contentEncoding", """{"type":"string","contentEncoding":"base64"}""")]
    public void Unknown_keywords_are_refused_by_name(string keyword, string schema) => AssertRefused(keyword, schema);

    [Theory]
    [InlineData("format", """{"type":"string","format":"email"}""", "email")]
    [InlineData("additionalProperties", """{"type":"object","additionalProperties":{"type":"integer"}}""", "maps")]
    [InlineData("items", """{"type":"array","items":[{"type":"integer"}]}""", "tuple")]
    [InlineData("items", """{"type":"array"}""", "any item")]
    [InlineData("$ref", """{"$ref":"other.json#/x"}""", "inside this document")]
    [InlineData("anyOf", """{"anyOf":[{"type":"object","properties":{"a":{"type":"integer"}}},{"type":"object"}]}""", "told apart")]
    [InlineData("oneOf", """{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "told apart")]
    [InlineData("oneOf", """{"oneOf":[{"enum":["a","b"]},{"const":"b"}]}""", "same value")]
    [InlineData("oneOf", """{"oneOf":[{"type":"string"},{"const":"b"}]}""", "told apart")]
    [InlineData("minLength", """{"type":"string","enum":["ab"],"minLength":1}""", "'enum'")]
    [InlineData("minimum", """{"type":"number","minimum":0}""", "integers only")]
    [InlineData("maxLength", """{"type":"string","format":"date","maxLength":10}""", "format")]
    [InlineData("type", """{"properties":{"a":{"type":"integer"}}}""", "any JSON value")]
    [InlineData("type", """{"description":"anything"}""", "any JSON value")]
    [InlineData("true", """{"type":"object","properties":{"a":true},"required":["a"]}""", "any JSON value")]
    [InlineData("required", """{"type":"object","properties":{},"required":["a"]}""", "'a'")]
    [InlineData("maxItems", """{"$ref":"#/$defs/x","maxItems":2,"$defs":{"x":{"type":"array","items":{"type":"integer"}}}}""", "'$ref'")]
    [InlineData("type", """{"anyOf":[{"type":"string"},{"type":"null"}],"type":"string"}""", "'anyOf'")]
    [InlineData("const", """{"enum":["a"],"const":"a"}""", "'enum'")]
    public void Unsupported_values_and_combinations_are_refused_by_name(string keyword, string schema, string reason)
    {
        var error = AssertRefused(keyword, schema);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Recursion_without_a_depth_bound_is_refused()
    {
        var error = AssertRefused("$ref", """{"$ref":"#"}""");
        Assert.Contains("refers to itself", error.Message);
    }

    [Fact]
    public void The_error_says_where_the_keyword_is()
    {
        var error = AssertRefused("pattern", """{"type":"object","properties":{"a/b":{"type":"array","items":{"type":"string","pattern":"x"}}}}""");
        Assert.Equal("#/properties/a~1b/items", error.SchemaPath);
        Assert.Contains("#/properties/a~1b/items", error.Message);
    }

    [Theory]
    [InlineData("""{"type":"integer","minimum":5,"maximum":4}""")]
    [InlineData("""{"type":"string","enum":[1,2]}""")]
    [InlineData("""{"type":"object","properties":{"a":false},"required":["a"]}""")]
    [InlineData("""{"type":"array","items":false,"minItems":1}""")]
    [InlineData("false")]
    public void A_schema_no_value_satisfies_is_an_argument_error(string schema)
    {
        var error = Assert.Throws<ArgumentException>(() => JsonSchemaConstraint.Parse(schema));
        Assert.Contains("No JSON value satisfies", error.Message);
    }

    [Fact]
    public void Annotations_are_ignored_and_allowed_combinations_accepted()
    {
        var constraint = JsonSchemaConstraint.Parse("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"t","description":"d","default":1,"examples":[1],"$comment":"c",
             "anyOf":[{"type":"integer","minimum":0,"maximum":3},{"type":"number"},{"type":"null"}]}
            """);
        Assert.True(constraint.Accepts("2"));
        Assert.True(constraint.Accepts("2.5"));
        Assert.True(constraint.Accepts("null"));
        Assert.False(constraint.Accepts("\"2\""));
    }

    static JsonSchemaNotSupportedException AssertRefused(string keyword, string schema)
    {
        var error = Assert.Throws<JsonSchemaNotSupportedException>(() => JsonSchemaConstraint.Parse(schema));
        Assert.Equal(keyword, error.Keyword);
        Assert.Contains($"'{keyword}'", error.Message);
        return error;
    }
}
