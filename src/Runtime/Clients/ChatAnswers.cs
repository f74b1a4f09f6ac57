using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using ModelDsl.Generation;
using ModelDsl.Generation.Structured;
using ModelDsl.Tokenization;

namespace ModelDsl.Clients;

/// <summary>Rules the chat client and typed clients share about how an answer is asked for and ends.</summary>
internal static class ChatAnswers
{
    /// <summary>
    /// <paramref name="options"/> with the tokenizer's end-of-sequence token when the options name none and the model's
    /// vocabulary has it, so answers end where the model ends them instead of running to <c>MaxNewTokens</c>.
    /// </summary>
    public static GenerationOptions WithEndOfSequence(GenerationOptions options, Tokenizer tokenizer, long vocabularySize)
    {
        if (options.EndOfSequenceTokenId is not null || options.EndOfSequenceTokenIds.Count > 0) return options;
        var eos = SpecialTokens.Of(tokenizer).EosIds.Where(id => id < vocabularySize).ToArray();
        return eos.Length == 0 ? options : options with { EndOfSequenceTokenIds = eos };
    }

    /// <summary>
    /// The answer as the caller sees it: without the whitespace that separates it from the prompt (the model writes
    /// " Paris" after "A:") or trails it.
    /// </summary>
    public static string Clean(string generated) => generated.Trim();

    /// <summary>The pieces of a streamed answer, without the whitespace before its first visible character.</summary>
    public static async IAsyncEnumerable<string> TrimLeading(IAsyncEnumerable<string> pieces, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = false;
        await foreach (var piece in pieces.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var text = started ? piece : piece.TrimStart();
            if (text.Length == 0) continue;
            started = true;
            yield return text;
        }
    }

    /// <summary>The constraint a chat response format asks for: null for text, the schema's automaton for JSON with a schema.</summary>
    /// <exception cref="NotSupportedException">JSON without a schema, or a format this client does not know.</exception>
    public static JsonSchemaConstraint? ConstraintFor(ChatResponseFormat? format) => format switch
    {
        null or ChatResponseFormatText => null,
        ChatResponseFormatJson { Schema: { } schema } => JsonSchemaConstraint.FromSchema(schema),
        ChatResponseFormatJson => throw new NotSupportedException(
            "ResponseFormat JSON without a schema is not supported: a local model is only held to JSON through a schema. "
            + "Pass ChatResponseFormat.ForJsonSchema(...) (GetResponseAsync<T> does this for you)."),
        _ => throw new NotSupportedException($"ResponseFormat {format.GetType().Name} is not supported; use text or JSON with a schema."),
    };
}
