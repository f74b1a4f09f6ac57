using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelDsl.Tests.Generation.Structured;

public enum Currency { Eur, Usd, Gbp }

public sealed record LineItem(string Item, int Qty, double Price);

/// <summary>Nested records in a list, an enum, a DateOnly, a nullable string.</summary>
public sealed record Invoice(string Id, DateOnly Date, Currency Cur, List<LineItem> Lines, string? Note);

public sealed record Address(string Street, string City, int? PostalCode);

/// <summary>A nested record, a nullable double left out when absent, a list of strings, a bool.</summary>
public sealed record Person(string Name, int Age, double? Height, Address Home, List<string> Tags, bool Active);

public enum Sentiment { Negative, Neutral, Positive }

/// <summary>A oneOf of constants, bounded integers, a list of doubles, a date.</summary>
public sealed record Review(string Title, Sentiment Sentiment, int Stars, List<double> Scores, DateOnly Date, string? Quote);

/// <summary>The three record types with schemas written the way a compile-time generator would write them.</summary>
internal static class StructuredRecords
{
    public const string InvoiceSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Invoice",
          "type": "object",
          "properties": {
            "Id": { "type": "string", "maxLength": 24, "description": "Invoice number" },
            "Date": { "type": "string", "format": "date" },
            "Cur": { "type": "string", "enum": ["Eur", "Usd", "Gbp"] },
            "Lines": { "type": "array", "items": { "$ref": "#/$defs/LineItem" }, "minItems": 1, "maxItems": 3 },
            "Note": { "type": ["string", "null"] }
          },
          "required": ["Id", "Date", "Cur", "Lines", "Note"],
          "additionalProperties": false,
          "$defs": {
            "LineItem": {
              "type": "object",
              "properties": {
                "Item": { "type": "string" },
                "Qty": { "type": "integer", "minimum": 1, "maximum": 1000 },
                "Price": { "type": "number", "default": 0 }
              },
              "required": ["Item", "Qty", "Price"],
              "additionalProperties": false
            }
          }
        }
        """;

    public const string PersonSchema = """
        {
          "type": "object",
          "properties": {
            "Name": { "type": "string", "maxLength": 40 },
            "Age": { "type": "integer", "minimum": 0, "maximum": 150 },
            "Height": { "anyOf": [{ "type": "number" }, { "type": "null" }] },
            "Home": { "$ref": "#/definitions/Address" },
            "Tags": { "type": "array", "items": { "type": "string", "maxLength": 12 }, "maxItems": 4 },
            "Active": { "type": "boolean" }
          },
          "required": ["Name", "Age", "Home", "Tags", "Active"],
          "additionalProperties": false,
          "definitions": {
            "Address": {
              "type": "object",
              "properties": {
                "Street": { "type": "string" },
                "City": { "type": "string", "maxLength": 30 },
                "PostalCode": { "type": ["integer", "null"], "minimum": 1000, "maximum": 99999 }
              },
              "required": ["Street", "City", "PostalCode"],
              "additionalProperties": false
            }
          }
        }
        """;

    public const string ReviewSchema = """
        {
          "type": "object",
          "properties": {
            "Title": { "type": "string", "maxLength": 30 },
            "Sentiment": { "oneOf": [{ "const": "Negative" }, { "const": "Neutral" }, { "const": "Positive" }] },
            "Stars": { "type": "integer", "minimum": 1, "maximum": 5 },
            "Scores": { "type": "array", "items": { "type": "number" }, "maxItems": 3 },
            "Date": { "type": "string", "format": "date" },
            "Quote": { "type": ["string", "null"], "maxLength": 20 }
          },
          "required": ["Title", "Sentiment", "Stars", "Scores", "Date", "Quote"],
          "additionalProperties": false
        }
        """;

    /// <summary>Strict deserialization: unknown members, nulls in non-nullable members and missing constructor arguments all fail.</summary>
    public static readonly JsonSerializerOptions Strict = new()
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    public static readonly (string Name, string Schema, Type Type)[] All =
    [
        ("Invoice", InvoiceSchema, typeof(Invoice)),
        ("Person", PersonSchema, typeof(Person)),
        ("Review", ReviewSchema, typeof(Review)),
    ];

    public static Type TypeNamed(string name) => Array.Find(All, r => r.Name == name).Type;

    public static string SchemaNamed(string name) => Array.Find(All, r => r.Name == name).Schema;

    public static IEnumerable<object[]> Names() => Array.ConvertAll(All, r => new object[] { r.Name });
}
