using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.Tokenization;

namespace ModelDsl.Generation.Structured;

/// <summary>Finds the <see cref="ITokenBytes"/> of a tokenizer: the kinds the SDK ships, plus any registered here.</summary>
public static class TokenBytes
{
    static readonly ConcurrentDictionary<Type, Func<Tokenizer, ITokenBytes>> Registered = new();

    /// <summary>Teaches structured output the token bytes of tokenizers of type <typeparamref name="TTokenizer"/> (and types derived from it).</summary>
    public static void Register<TTokenizer>(Func<TTokenizer, ITokenBytes> factory) where TTokenizer : Tokenizer
    {
        ArgumentNullException.ThrowIfNull(factory);
        Registered[typeof(TTokenizer)] = tokenizer => factory((TTokenizer)tokenizer);
    }

    /// <summary>Token bytes given as two functions, for adapters of a few lines.</summary>
    public static ITokenBytes FromFunctions(int count, Func<int, byte[]> getTokenBytes, Func<int, bool> isSpecialToken) =>
        new FunctionTokenBytes(count, getTokenBytes, isSpecialToken);

    /// <summary>The token bytes of <paramref name="tokenizer"/>.</summary>
    /// <exception cref="NotSupportedException">The tokenizer's kind cannot be mapped to bytes.</exception>
    public static ITokenBytes For(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        switch (tokenizer)
        {
            case ITokenBytes own: return own;
            case TiktokenTokenizer tiktoken: return new TiktokenTokenBytes(tiktoken);
            case CodeGenTokenizer bpe: return new ByteLevelBpeTokenBytes(bpe);
            case HuggingFaceTokenizer huggingFace: return FromFunctions(huggingFace.VocabularySize, huggingFace.GetTokenBytes, huggingFace.IsSpecialToken);
        }
        for (var type = tokenizer.GetType(); type is not null; type = type.BaseType)
            if (Registered.TryGetValue(type, out var factory)) return factory(tokenizer);
        var registered = Registered.Keys.Select(t => t.Name).ToArray();
        throw new NotSupportedException(
            $"Structured output cannot map the tokens of a {tokenizer.GetType().Name} to bytes. Supported: TiktokenTokenizer, "
            + $"CodeGenTokenizer (byte-level BPE), HuggingFaceTokenizer (tokenizer.json){(registered.Length > 0 ? ", " + string.Join(", ", registered) : "")}. "
            + (tokenizer is LlamaTokenizer
                ? "SentencePiece decoding drops the first token's leading space, so its tokens are not plain byte strings. "
                : "")
            + "Register an adapter with TokenBytes.Register<T>(...) to add a kind.");
    }

    sealed class FunctionTokenBytes(int count, Func<int, byte[]> getTokenBytes, Func<int, bool> isSpecialToken) : ITokenBytes
    {
        public int Count => count;

        public bool IsSpecialToken(int id) => isSpecialToken(id);

        public byte[] GetTokenBytes(int id) => getTokenBytes(id);
    }
}
