using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.Layers;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.Training.Alignment;

/// <summary>
/// A reward model: a causal LM's trunk with a scalar <c>score</c> head (no bias) in place of the language-model head, laid
/// out as Hugging Face's <c>…ForSequenceClassification</c> with one label (<c>transformer.*</c> or <c>model.*</c>, and
/// <c>score.weight</c>). A sequence's reward is the head's value at its last non-padding token. Train it on preference
/// pairs with <see cref="RewardObjective"/>; save and load it with <see cref="RewardModelFiles"/>.
/// </summary>
public sealed class RewardModel : DslModule
{
    readonly HiddenStates _trunk;

    /// <summary>
    /// Puts a fresh score head (normal, std 0.02, as Hugging Face initialises it) on <paramref name="languageModel"/>: a GPT-2
    /// or rotary-decoder family model (Llama, Mistral, Qwen, Phi-3, Gemma), a LoRA or bottleneck setup over one (its adapters train with the head), or an <see cref="IHiddenStateModel"/>.
    /// The language model's own head is not part of the reward model.
    /// </summary>
    /// <exception cref="ArgumentException">The model has no hidden-state output, or is a prompt-tuning setup.</exception>
    public RewardModel(nn.Module languageModel) : base(nameof(RewardModel))
    {
        ArgumentNullException.ThrowIfNull(languageModel);
        _trunk = HiddenStates.Of(languageModel);
        LanguageModel = languageModel;
        var weight = _trunk.Trunk.parameters().First();
        score = new Linear(_trunk.Width, 1, hasBias: false, weight.device, weight.dtype);
        using (no_grad()) score.weight.normal_(0, 0.02);
        register_module(_trunk.TrunkName, _trunk.Trunk);
        register_module("score", score);
    }

    /// <summary>The scalar head <c>[1, D]</c>.</summary>
    public Linear score { get; }

    /// <summary>The model or setup the trunk comes from.</summary>
    public nn.Module LanguageModel { get; }

    /// <summary>Hugging Face's class name for this layout (e.g. <c>GPT2ForSequenceClassification</c>).</summary>
    public string Architecture => _trunk.Architecture;

    /// <summary>The trunk's state-dict name (<c>transformer</c> or <c>model</c>).</summary>
    public string TrunkName => _trunk.TrunkName;

    /// <summary>
    /// Rewards <c>[B]</c> for token ids <c>[B, T]</c>: the score of each row's last token whose <paramref name="attentionMask"/> is 1
    /// (the last position without a mask), so left and right padding both work.
    /// </summary>
    public Tensor Forward(Tensor ids, Tensor? attentionMask = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        using var scope = NewDisposeScope();
        var hidden = _trunk.Forward(ids, attentionMask);                                 // (B, T, D)
        var perPosition = score.forward(hidden).squeeze(-1);                            // (B, T)
        long batch = ids.shape[0], time = ids.shape[1];
        var last = attentionMask is null
            ? full(batch, time - 1, dtype: ScalarType.Int64, device: ids.device)        // (B)
            : (arange(time, device: ids.device) * attentionMask.to_type(ScalarType.Int64)).argmax(-1);   // (B)
        return perPosition.gather(1, last.unsqueeze(1)).squeeze(1).MoveToOuterDisposeScope();   // (B)
    }

    /// <summary>Rewards of token sequences (evaluation mode, no gradients), right-padded with <paramref name="padTokenId"/> into one batch.</summary>
    public double[] Score(IReadOnlyList<int[]> sequences, int padTokenId = 0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) return [];
        if (sequences.Any(s => s is null || s.Length == 0)) throw new ArgumentException("Every sequence to score needs at least one token.", nameof(sequences));
        using var eval = ModelActivity.Inference(this, "RewardModel.Score");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = score.weight.device;
        var width = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * width];
        var mask = new long[ids.Length];
        for (var b = 0; b < sequences.Count; b++)
            for (var t = 0; t < width; t++)
            {
                var real = t < sequences[b].Length;
                ids[b * width + t] = real ? sequences[b][t] : padTokenId;
                mask[b * width + t] = real ? 1 : 0;
            }
        long[] shape = [sequences.Count, width];
        var rewards = Forward(tensor(ids, shape, device: device), tensor(mask, shape, device: device));
        return rewards.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary>
    /// Rewards of each candidate answer to <paramref name="prompt"/>, tokenized as a <see cref="Data.TextPreference"/>'s
    /// sequences are (prompt and answer apart, special tokens once, <paramref name="eosTokenId"/> appended when given).
    /// </summary>
    public double[] Score(Tokenizer tokenizer, string prompt, IReadOnlyList<string> candidates, int? eosTokenId = null, int padTokenId = 0)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(candidates);
        return Score(candidates.Select(c => Data.PreferenceTokenizer.TextSequence(tokenizer, prompt, c, eosTokenId)).ToList(), padTokenId);
    }

    /// <summary>The candidates' indices, highest reward first (ties keep their order).</summary>
    public int[] Rank(Tokenizer tokenizer, string prompt, IReadOnlyList<string> candidates, int? eosTokenId = null, int padTokenId = 0)
    {
        var rewards = Score(tokenizer, prompt, candidates, eosTokenId, padTokenId);
        return Enumerable.Range(0, rewards.Length).OrderByDescending(i => rewards[i]).ToArray();
    }
}
