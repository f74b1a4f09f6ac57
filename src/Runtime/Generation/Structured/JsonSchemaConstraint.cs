using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// Constrains generation to JSON text that satisfies a JSON schema: set it as
/// <see cref="GenerationOptions.ResponseConstraint"/> and every generated answer is one complete, compact JSON value
/// of the schema (no whitespace between tokens, object properties in the schema's order), so it always parses and
/// deserializes.
/// </summary>
/// <remarks>
/// <para>Understood keywords: <c>type</c> (a name or an array of names), <c>properties</c>, <c>required</c>,
/// <c>additionalProperties</c> (false; true or {} are accepted as generated objects never carry extra properties),
/// <c>items</c>, <c>minItems</c>, <c>maxItems</c>, <c>enum</c>, <c>const</c>, <c>anyOf</c>/<c>oneOf</c> of
/// alternatives told apart by their first byte, <c>format</c> <c>date</c> and <c>date-time</c>,
/// <c>minLength</c>/<c>maxLength</c> (in code points), <c>minimum</c>/<c>maximum</c> on integers, and <c>$ref</c>
/// inside the document (<c>#/$defs/...</c>, <c>#/definitions/...</c>; recursion only with
/// <see cref="JsonSchemaOptions.MaxRecursionDepth"/>). <c>description</c>, <c>title</c>, <c>$schema</c>,
/// <c>default</c>, <c>examples</c>, <c>$comment</c>, <c>readOnly</c>, <c>writeOnly</c> and <c>deprecated</c> are
/// annotations and ignored. Any other keyword throws <see cref="JsonSchemaNotSupportedException"/> naming it.</para>
/// <para>What is generated: integers within their bounds (without bounds, within
/// <see cref="JsonSchemaOptions.DefaultIntegerMinimum"/>..<see cref="JsonSchemaOptions.DefaultIntegerMaximum"/>, a C#
/// <c>int</c> by default); numbers in plain decimal notation with at most 15 digits before and 15 after the point
/// (no exponent, so they fit <c>double</c> and <c>decimal</c>); strings of well-formed UTF-8 with JSON escapes.</para>
/// <para>The automaton reads bytes, so any tokenizer whose tokens are byte strings can drive it, including tokens that
/// end inside a UTF-8 character. Compiling is done once per schema text and options (a small cache keeps recent ones),
/// and allowed-token masks are cached per tokenizer and automaton state. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class JsonSchemaConstraint
{
    const int CacheLimit = 64;
    static readonly ConcurrentDictionary<(string Schema, JsonSchemaOptions Options), JsonSchemaConstraint> Compiled = new();

    readonly ConditionalWeakTable<TokenTable, ConcurrentDictionary<int, TokenMasks>> _masks = new();

    JsonSchemaConstraint(JsonElement schema, JsonSchemaOptions options)
    {
        Schema = schema.Clone();
        Options = options;
        var root = JsonSchemaCompiler.Compile(Schema, options);
        var (nfa, start, accept) = JsonGrammar.Build(root, options.MaxStates * 8);
        Automaton = ByteDfa.Determinize(nfa, start, accept, options.MaxStates);
        ShortestValue = Encoding.UTF8.GetString(Automaton.ShortestCompletion(Automaton.Start));
    }

    /// <summary>The schema this constraint was compiled from.</summary>
    public JsonElement Schema { get; }

    /// <summary>The options it was compiled with.</summary>
    public JsonSchemaOptions Options { get; }

    /// <summary>The shortest JSON text the schema allows; its UTF-8 length bounds the tokens any answer needs.</summary>
    public string ShortestValue { get; }

    /// <summary>Bytes in <see cref="ShortestValue"/>.</summary>
    public int MinimumBytes => Automaton.MinBytes(Automaton.Start);

    internal ByteDfa Automaton { get; }

    /// <summary>Compiles <paramref name="schema"/> (or returns the cached compilation of the same schema text and options).</summary>
    /// <exception cref="JsonSchemaNotSupportedException">The schema uses a keyword or combination that cannot be generated.</exception>
    /// <exception cref="ArgumentException">The schema is malformed, or no value satisfies it.</exception>
    public static JsonSchemaConstraint FromSchema(JsonElement schema, JsonSchemaOptions? options = null)
    {
        options ??= new JsonSchemaOptions();
        options.Validate();
        var key = (schema.GetRawText(), options);
        if (Compiled.TryGetValue(key, out var cached)) return cached;
        var compiled = new JsonSchemaConstraint(schema, options);
        if (Compiled.Count >= CacheLimit) Compiled.Clear();
        return Compiled.GetOrAdd(key, compiled);
    }

    /// <summary>Compiles a schema given as JSON text.</summary>
    /// <exception cref="JsonSchemaNotSupportedException">The schema uses a keyword or combination that cannot be generated.</exception>
    /// <exception cref="ArgumentException">The text is not JSON, the schema is malformed, or no value satisfies it.</exception>
    public static JsonSchemaConstraint Parse(string schemaJson, JsonSchemaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        try
        {
            using var document = JsonDocument.Parse(schemaJson);
            return FromSchema(document.RootElement, options);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The schema is not valid JSON: {e.Message}", nameof(schemaJson), e);
        }
    }

    /// <summary>Whether <paramref name="utf8"/> is exactly one value this constraint generates.</summary>
    public bool Accepts(ReadOnlySpan<byte> utf8) => Automaton.Walk(Automaton.Start, utf8) is var state and not ByteDfa.Dead && Automaton.IsAccepting(state);

    /// <summary>Whether <paramref name="json"/> is exactly one value this constraint generates.</summary>
    public bool Accepts(string json) => Accepts(Encoding.UTF8.GetBytes(json));

    /// <summary>Whether <paramref name="utf8"/> can be continued into a value this constraint generates.</summary>
    public bool IsPrefix(ReadOnlySpan<byte> utf8) => Automaton.Walk(Automaton.Start, utf8) != ByteDfa.Dead;

    /// <summary>The allowed-token masks of this automaton over <paramref name="tokenizer"/>'s vocabulary cut to <paramref name="vocabularySize"/> ids.</summary>
    internal TokenMasks MasksFor(Tokenizer tokenizer, int vocabularySize)
    {
        var table = TokenTable.For(tokenizer);
        var byVocabulary = _masks.GetValue(table, _ => new ConcurrentDictionary<int, TokenMasks>());
        return byVocabulary.GetOrAdd(vocabularySize, v => new TokenMasks(Automaton, table, v));
    }
}
