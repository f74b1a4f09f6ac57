using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// A decoder-only language model as the trainer, the PEFT setups and generation see it:
/// token ids in, next-token logits out, with an entry point below the token embedding so that
/// soft prompts can be prepended.
/// </summary>
public interface ICausalLanguageModel
{
    /// <summary>Vocabulary size (the logits' last dimension).</summary>
    long VocabularySize { get; }

    /// <summary>Context window in tokens (positions beyond it are an error).</summary>
    long ContextLength { get; }

    /// <summary>Width of the token embeddings.</summary>
    long EmbeddingDim { get; }

    /// <summary>Token embeddings for <paramref name="ids"/> <c>[B, T]</c> → <c>[B, T, EmbeddingDim]</c>.</summary>
    Tensor EmbedTokens(Tensor ids);

    /// <summary>
    /// Runs the network from embeddings <c>[B, T, EmbeddingDim]</c> → logits <c>[B, T, VocabularySize]</c>.
    /// <paramref name="attentionMask"/> <c>[B, T]</c> has 1 for real tokens and 0 for padding; positions count
    /// real tokens only (left padding is allowed).
    /// </summary>
    Tensor ForwardEmbeddings(Tensor embeddings, Tensor? attentionMask = null);

    /// <summary>Logits <c>[B, T, VocabularySize]</c> for token ids <c>[B, T]</c>.</summary>
    Tensor Forward(Tensor ids, Tensor? attentionMask = null);
}
