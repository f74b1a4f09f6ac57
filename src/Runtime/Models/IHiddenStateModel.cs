using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// A causal LM that exposes its trunk's output — the final hidden states before the language-model head — so a head of
/// another kind (a reward model's <c>score</c>) can sit on it. The runtime's GPT-2 and Llama families are handled
/// without it; a custom model implements it to carry a reward head.
/// </summary>
public interface IHiddenStateModel : ICausalLanguageModel
{
    /// <summary>
    /// The state-dict name of the trunk module (Hugging Face's base-model prefix: <c>transformer</c>, <c>model</c>), under which
    /// a <c>…ForSequenceClassification</c> checkpoint stores it.
    /// </summary>
    string TrunkName { get; }

    /// <summary>The trunk module registered under <see cref="TrunkName"/>.</summary>
    nn.Module Trunk { get; }

    /// <summary>Final hidden states <c>[B, T, EmbeddingDim]</c> for token ids <c>[B, T]</c> (1/0 <paramref name="attentionMask"/> as for <see cref="ICausalLanguageModel.Forward"/>).</summary>
    Tensor ForwardHiddenStates(Tensor ids, Tensor? attentionMask = null);
}
