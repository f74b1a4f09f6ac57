using System;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;
using static TorchSharp.torch;

namespace ModelDsl.Training.Alignment;

/// <summary>
/// A causal LM's trunk as a reward head sees it: the trunk module, its checkpoint name, the Hugging Face class name of the
/// sequence-classification model over it, and its final hidden states. PEFT setups are looked through to their base (their
/// LoRA and bottleneck layers live inside the trunk, so they still apply).
/// </summary>
sealed class HiddenStates
{
    readonly Func<Tensor, Tensor?, Tensor> _forward;

    HiddenStates(string trunkName, nn.Module trunk, string architecture, long width, Func<Tensor, Tensor?, Tensor> forward)
    {
        TrunkName = trunkName;
        Trunk = trunk;
        Architecture = architecture;
        Width = width;
        _forward = forward;
    }

    public string TrunkName { get; }
    public nn.Module Trunk { get; }
    public string Architecture { get; }
    public long Width { get; }

    /// <summary>Final hidden states <c>[B, T, D]</c>.</summary>
    public Tensor Forward(Tensor ids, Tensor? attentionMask) => _forward(ids, attentionMask);

    /// <exception cref="ArgumentException">The model has no hidden-state output this runtime knows, or is a prompt-tuning setup.</exception>
    public static HiddenStates Of(nn.Module model)
    {
        var inner = model;
        if (model is PeftSetup setup)
        {
            if (setup.Config is PromptTuningConfig)
                throw new ArgumentException(
                    $"A reward head on {setup.GetType().Name}: prompt tuning prepends virtual tokens before the trunk, which a sequence-classification checkpoint cannot hold; use LoRA or a bottleneck adapter.", nameof(model));
            inner = setup.BaseModel;
        }
        return inner switch
        {
            Gpt2LMHeadModel g => new("transformer", g.transformer, "GPT2ForSequenceClassification", g.EmbeddingDim,
                (ids, mask) => RunTrunk(g, ids, mask, (e, p, m) => g.transformer.Forward(e, p, m))),
            DecoderForCausalLM d => new("model", d.Trunk, d.Shape.Traits.Architecture.Replace("ForCausalLM", "ForSequenceClassification"), d.EmbeddingDim,
                (ids, mask) => RunTrunk(d, ids, mask, d.ForwardTrunk)),
            IHiddenStateModel h => new(h.TrunkName, h.Trunk, h.GetType().Name, h.EmbeddingDim, h.ForwardHiddenStates),
            _ => throw new ArgumentException(
                $"A reward head needs the trunk's hidden states; {inner.GetType().Name} is not one of the runtime's model families and does not implement {nameof(IHiddenStateModel)}.", nameof(model)),
        };
    }

    // The same positions and masks DecoderLanguageModel.ForwardEmbeddings builds, stopping before the head.
    static Tensor RunTrunk(ICausalLanguageModel model, Tensor ids, Tensor? attentionMask, Func<Tensor, Tensor, Tensor?, Tensor> trunk)
    {
        using var scope = NewDisposeScope();
        var embeddings = model.EmbedTokens(ids);                                       // (B, T, D)
        long batch = ids.shape[0], time = ids.shape[1];
        if (time > model.ContextLength)
            throw new ArgumentException($"The input has {time} positions but the model's context is {model.ContextLength}; truncate the input.", nameof(ids));
        if (attentionMask is null)
            return trunk(embeddings, PaddingMask.DefaultPositionIds(batch, time, ids.device), null).MoveToOuterDisposeScope();
        PaddingMask.CheckShape(attentionMask, embeddings);
        return trunk(embeddings, PaddingMask.PositionIds(attentionMask), PaddingMask.CausalAttentionMask(attentionMask)).MoveToOuterDisposeScope(); // (B, T, D)
    }
}
