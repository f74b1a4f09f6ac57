using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using ModelDsl.Layers;

namespace ModelDsl.Peft;

/// <summary>
/// Prompt tuning (Lester et al. 2021, as Hugging Face PEFT's <c>PromptEmbedding</c>): <see cref="Tokens"/> trainable
/// "virtual token" embeddings <c>weight</c> <c>[Tokens, Dim]</c>, prepended to a sequence's token embeddings.
/// For a causal LM the attention mask gets ones for the virtual tokens and the labels get <c>-100</c> (ignored),
/// and positions run over the concatenated sequence (<see cref="Prepend"/>, <see cref="ExtendAttentionMask"/>,
/// <see cref="ExtendLabels"/>). Kept in fp32, as PEFT does, and cast to the embeddings' dtype when prepended.
/// </summary>
public sealed class SoftPrompt : DslModule<Tensor, Tensor>
{
    /// <summary>The label value a loss ignores (PyTorch's <c>ignore_index</c>), given to virtual positions.</summary>
    public const long IgnoredLabel = -100;

    SoftPrompt(Tensor initial) : base(nameof(SoftPrompt))
    {
        weight = new Parameter(initial);
        Tokens = weight.shape[0];
        Dim = weight.shape[1];
    }

    /// <summary>The virtual token embeddings, <c>[Tokens, Dim]</c>, fp32.</summary>
    public Parameter weight { get; private set => field = SetParameter("weight", field, value); }

    /// <summary>Number of virtual tokens.</summary>
    public long Tokens { get; }

    /// <summary>Embedding width.</summary>
    public long Dim { get; }

    /// <summary>PEFT's <c>RANDOM</c> init: each row ~ N(0, 1), as a fresh <c>torch.nn.Embedding</c>.</summary>
    public static SoftPrompt Random(long tokens, long dim, Device? device = null)
    {
        CheckSizes(tokens, dim);
        return new SoftPrompt(randn([tokens, dim], dtype: ScalarType.Float32, device: device));
    }

    /// <summary>
    /// PEFT's <c>TEXT</c> init: the vocabulary embedding rows of <paramref name="initTextTokenIds"/> (the init text's
    /// token ids), truncated to <paramref name="tokens"/> when longer, or repeated ⌈tokens/n⌉ times and then
    /// truncated when shorter.
    /// </summary>
    /// <param name="tokens">Number of virtual tokens.</param>
    /// <param name="initTextTokenIds">The tokenised init text; at least one id.</param>
    /// <param name="vocabularyEmbedding">The model's token embedding table <c>[V, Dim]</c>.</param>
    public static SoftPrompt FromText(long tokens, IReadOnlyList<long> initTextTokenIds, Tensor vocabularyEmbedding)
    {
        ArgumentNullException.ThrowIfNull(initTextTokenIds);
        ArgumentNullException.ThrowIfNull(vocabularyEmbedding);
        CheckSizes(tokens, vocabularyEmbedding.shape[1]);
        if (initTextTokenIds.Count == 0)
            throw new ArgumentException("The prompt-tuning init text tokenised to no ids; give a non-empty init text or use Random init.", nameof(initTextTokenIds));
        long vocabulary = vocabularyEmbedding.shape[0];
        foreach (var id in initTextTokenIds)
            if (id < 0 || id >= vocabulary)
                throw new ArgumentOutOfRangeException(nameof(initTextTokenIds), id, $"Init text token id {id} is outside the vocabulary [0, {vocabulary}); tokenise with the model's own tokenizer.");
        var ids = TextInitIds(tokens, initTextTokenIds);
        using var idTensor = tensor(ids.ToArray(), device: vocabularyEmbedding.device);
        return FromRows(vocabularyEmbedding, idTensor);
    }

    /// <summary>PEFT's <c>SAMPLE_VOCAB</c> init: rows of the vocabulary embedding at uniformly random token ids.</summary>
    /// <param name="tokens">Number of virtual tokens.</param>
    /// <param name="vocabularyEmbedding">The model's token embedding table <c>[V, Dim]</c>.</param>
    /// <param name="generator">Random source; the global one when <see langword="null"/>.</param>
    public static SoftPrompt SampleVocabulary(long tokens, Tensor vocabularyEmbedding, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(vocabularyEmbedding);
        CheckSizes(tokens, vocabularyEmbedding.shape[1]);
        using var ids = randint(0, vocabularyEmbedding.shape[0], [tokens], dtype: ScalarType.Int64, device: vocabularyEmbedding.device, generator: generator);
        return FromRows(vocabularyEmbedding, ids);
    }

    /// <summary>A prompt initialised from given embedding rows <c>[tokens, Dim]</c> (copied, as fp32).</summary>
    public static SoftPrompt FromEmbeddings(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.ndim != 2) throw new ArgumentException($"Expected embedding rows [tokens, dim], got [{string.Join(", ", rows.shape)}].", nameof(rows));
        CheckSizes(rows.shape[0], rows.shape[1]);
        using var scope = NewDisposeScope();
        var copy = rows.detach().to_type(ScalarType.Float32).clone();   // (P, D)
        return new SoftPrompt(copy.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The ids PEFT's TEXT init uses: the text's ids truncated to <paramref name="tokens"/>, or repeated
    /// ⌈tokens/n⌉ times and truncated.
    /// </summary>
    public static IReadOnlyList<long> TextInitIds(long tokens, IReadOnlyList<long> initTextTokenIds)
    {
        ArgumentNullException.ThrowIfNull(initTextTokenIds);
        if (initTextTokenIds.Count == 0) return [];
        var repeats = (int)((tokens + initTextTokenIds.Count - 1) / initTextTokenIds.Count);
        return Enumerable.Repeat(initTextTokenIds, Math.Max(repeats, 1)).SelectMany(ids => ids).Take((int)tokens).ToList();
    }

    /// <summary>Prepends the virtual tokens to <paramref name="embeddings"/> <c>[B, T, Dim]</c> → <c>[B, Tokens + T, Dim]</c>.</summary>
    public override Tensor forward(Tensor embeddings) => Prepend(embeddings);

    /// <summary>Prepends the virtual tokens to <paramref name="embeddings"/> <c>[B, T, Dim]</c> → <c>[B, Tokens + T, Dim]</c>.</summary>
    public Tensor Prepend(Tensor embeddings)
    {
        if (embeddings.ndim != 3 || embeddings.shape[2] != Dim)
            throw new ArgumentException($"Expected token embeddings [B, T, {Dim}], got [{string.Join(", ", embeddings.shape)}].", nameof(embeddings));
        using var scope = NewDisposeScope();
        var prompt = weight.to_type(embeddings.dtype)                  // (P, D)
            .unsqueeze(0).expand(embeddings.shape[0], Tokens, Dim);    // (B, P, D)
        return cat([prompt, embeddings], dim: 1).MoveToOuterDisposeScope(); // (B, P + T, D)
    }

    /// <summary>Prepends ones for the virtual tokens: mask <c>[B, T]</c> → <c>[B, Tokens + T]</c>.</summary>
    public Tensor ExtendAttentionMask(Tensor attentionMask)
    {
        using var ones = torch.ones([attentionMask.shape[0], Tokens], dtype: attentionMask.dtype, device: attentionMask.device); // (B, P)
        return cat([ones, attentionMask], dim: 1);                                                                                 // (B, P + T)
    }

    /// <summary>Prepends <see cref="IgnoredLabel"/> for the virtual tokens: labels <c>[B, T]</c> → <c>[B, Tokens + T]</c>.</summary>
    public Tensor ExtendLabels(Tensor labels)
    {
        using var ignored = full([labels.shape[0], Tokens], IgnoredLabel, dtype: labels.dtype, device: labels.device); // (B, P)
        return cat([ignored, labels], dim: 1);                                                                          // (B, P + T)
    }

    static SoftPrompt FromRows(Tensor vocabularyEmbedding, Tensor ids)
    {
        using var rows = vocabularyEmbedding.detach().index_select(0, ids);   // (P, D)
        return FromEmbeddings(rows);
    }

    static void CheckSizes(long tokens, long dim)
    {
        if (tokens < 1)
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "A soft prompt needs at least 1 virtual token.");
        if (dim < 1)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, "A soft prompt's embedding width must be at least 1.");
    }
}
