using System;
using System.Collections.Generic;
using ModelDsl.Layers;
using ModelDsl.Shared.Peft;
using TorchSharp;
using static TorchSharp.torch;
using ModelDsl.Models;

namespace ModelDsl.Peft;

/// <summary>
/// The runtime base of every generated fine-tuning setup: wraps a base causal LM, freezes it, and holds the
/// PEFT pieces the generated constructor injects by straight-line code (<see cref="AttachLora"/>,
/// <see cref="AttachBottleneck"/>, <see cref="Train"/>; a soft prompt is made from the config).
/// </summary>
/// <remarks>
/// <para>
/// The base model's children and own parameters are registered directly on the setup, so the setup's
/// state-dict keys are the base's keys (plus <c>…lora_A.weight</c>/<c>…lora_B.weight</c> beside each LoRA target,
/// and <c>prompt_embeddings</c> for prompt tuning).
/// </para>
/// <para>
/// Trainable parameters are recorded by structure: the setup lists exactly the parameters it created (or, for
/// selective tuning, was handed), never by matching names. Every base parameter is frozen on construction
/// (except for <see cref="FullFineTuneConfig"/>).
/// </para>
/// <para>
/// With prompt tuning, <see cref="ForwardEmbeddings"/> and <see cref="Forward"/> prepend the virtual tokens (mask
/// ones for them, positions over the joined sequence) and return logits for the real positions only, <c>[B, T, V]</c>,
/// so labels need no <c>-100</c> padding; <see cref="ContextLength"/> is the base's minus the virtual tokens.
/// (PEFT returns the virtual positions too; <see cref="SoftPrompt.ExtendLabels"/> and
/// <see cref="SoftPrompt.ExtendAttentionMask"/> give its padded labels and mask when needed.)
/// </para>
/// <para>
/// Bottleneck adapters are put in the blocks' adapter slots through the setter the generated code passes, and
/// registered on the setup under <c>bottleneck_adapters</c> (blocks do not register their slots' contents).
/// The setup shares the base's modules, so disposing the setup disposes the base model as well.
/// </para>
/// </remarks>
public abstract partial class PeftSetup : DslModule<Tensor, Tensor>, ICausalLanguageModel, IFrozenHeadScoring
{
    /// <summary>The name of the adapter a setup creates first, as PEFT's <c>default</c>.</summary>
    public const string DefaultAdapterName = "default";

    /// <summary>The setup's state-dict name of the active soft prompt (PEFT's saved key).</summary>
    public const string PromptParameterName = "prompt_embeddings";

    readonly ICausalLanguageModel? _languageModel;

    /// <summary>Wraps <paramref name="model"/>, registers its components under their own names and freezes it.</summary>
    /// <param name="model">The base model; must implement <see cref="ICausalLanguageModel"/>.</param>
    /// <param name="config">The method and its hyper-parameters.</param>
    protected PeftSetup(nn.Module model, PeftConfig config) : base(nameof(PeftSetup))
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        // A custom [Model] is not a causal LM (its Forward is the user's): LoRA and selective training still apply,
        // and the adapted model is called directly. Prompt tuning and bottleneck slots need a causal LM.
        _languageModel = model as ICausalLanguageModel;
        if (_languageModel is null && (config is PromptTuningConfig or BottleneckConfig))
            throw new ArgumentException($"{config.MethodName()} needs a causal language model ([Gpt2] or [Llama]); {model.GetType().Name} is not one.", nameof(model));
        BaseModel = model;
        Config = config;
        foreach (var (name, child) in model.named_children()) register_module(name, child);
        foreach (var (name, parameter) in model.named_parameters(recurse: false)) register_parameter(name, parameter);
        foreach (var (name, buffer) in model.named_buffers(recurse: false)) register_buffer(name, buffer);
        bool trainEverything = config is FullFineTuneConfig;
        foreach (var parameter in model.parameters()) parameter.requires_grad = trainEverything;
        if (trainEverything) SelectEverything(model);
        _adapterNames.Add(DefaultAdapterName);
        ActiveAdapter = DefaultAdapterName;
        if (config is LoraConfig lora) _loraSettings[DefaultAdapterName] = lora.Settings;
        if (config is BottleneckConfig bottleneck && PeftArguments.Bottleneck((int)Math.Min(bottleneck.Bottleneck, int.MaxValue), LanguageModel.EmbeddingDim) is [var tooWide, ..])
            throw new ArgumentOutOfRangeException(nameof(config), bottleneck.Bottleneck, tooWide.Message);
        if (config is PromptTuningConfig prompt)
        {
            if (PeftArguments.SoftPrompt(prompt.Tokens, LanguageModel.ContextLength, model.GetType().Name) is [var problem, ..])
                throw new ArgumentOutOfRangeException(nameof(config), prompt.Tokens, problem.Message);
            AddPrompt(DefaultAdapterName, trainable: true);
        }
    }

    /// <summary>The wrapped base model.</summary>
    public nn.Module BaseModel { get; }

    /// <summary>The method and its hyper-parameters.</summary>
    public PeftConfig Config { get; }

    ICausalLanguageModel LanguageModel => _languageModel ?? throw new InvalidOperationException(
        $"{BaseModel.GetType().Name} is not a causal language model (its Forward is its own); call the model itself — the adapters are inside its layers.");

    /// <inheritdoc/>
    public long VocabularySize => LanguageModel.VocabularySize;

    /// <summary>The base's context window minus the soft prompt's virtual tokens, if any.</summary>
    public long ContextLength => LanguageModel.ContextLength - (Config is PromptTuningConfig p ? p.Tokens : 0);

    /// <inheritdoc/>
    public long EmbeddingDim => LanguageModel.EmbeddingDim;

    /// <inheritdoc/>
    public Tensor EmbedTokens(Tensor ids) => LanguageModel.EmbedTokens(ids);

    /// <summary>
    /// Runs the base from embeddings <c>[B, T, D]</c> → logits <c>[B, T, V]</c>. With an active soft prompt the
    /// virtual tokens are prepended (mask ones for them) and their logit positions dropped from the result.
    /// </summary>
    public Tensor ForwardEmbeddings(Tensor embeddings, Tensor? attentionMask = null)
    {
        var prompt = ActivePrompt;
        if (prompt is null || _disabledDepth > 0) return LanguageModel.ForwardEmbeddings(embeddings, attentionMask);
        using var scope = NewDisposeScope();
        var (joined, mask) = WithPrompt(prompt, embeddings, attentionMask);
        // The runtime's families skip the head for the virtual positions; another model's logits for them are sliced off.
        if (LanguageModel is DecoderLanguageModel decoder)
            return decoder.ForwardEmbeddingsFrom(joined, mask, firstScored: prompt.Tokens).MoveToOuterDisposeScope(); // (B, T, V)
        var logits = LanguageModel.ForwardEmbeddings(joined, mask);                    // (B, P + T, V)
        return logits.narrow(1, prompt.Tokens, embeddings.shape[1]).MoveToOuterDisposeScope(); // (B, T, V)
    }

    /// <summary>The soft prompt's virtual tokens before <paramref name="embeddings"/>, and the mask extended over them (ones).</summary>
    static (Tensor Joined, Tensor? Mask) WithPrompt(SoftPrompt prompt, Tensor embeddings, Tensor? attentionMask) =>
        (prompt.Prepend(embeddings),                                                    // (B, P + T, D)
         attentionMask is null ? null : prompt.ExtendAttentionMask(attentionMask));     // (B, P + T)

    HiddenForScoring? IFrozenHeadScoring.TryHiddenForScoring(Tensor ids, Tensor? attentionMask)
    {
        var prompt = ActivePrompt;
        if (prompt is null || _disabledDepth > 0) return (_languageModel as IFrozenHeadScoring)?.TryHiddenForScoring(ids, attentionMask);
        if (_languageModel is not DecoderLanguageModel { FrozenHeadWeight: { } weight } decoder) return null;
        using var scope = NewDisposeScope();
        var (joined, mask) = WithPrompt(prompt, EmbedTokens(ids), attentionMask);
        return new HiddenForScoring(decoder.HiddenFrom(joined, mask, firstScored: prompt.Tokens).MoveToOuterDisposeScope(), weight); // (B, T, D)
    }

    /// <summary>Logits <c>[B, T, V]</c> for token ids <c>[B, T]</c>, through the active adapters.</summary>
    public Tensor Forward(Tensor ids, Tensor? attentionMask = null)
    {
        if (ActivePrompt is null || _disabledDepth > 0) return LanguageModel.Forward(ids, attentionMask);
        using var embeddings = EmbedTokens(ids);   // (B, T, D)
        return ForwardEmbeddings(embeddings, attentionMask);
    }

    /// <summary>Logits for <paramref name="ids"/>; for a custom model, its own one-input forward.</summary>
    public override Tensor forward(Tensor ids) =>
        _languageModel is null && BaseModel is nn.Module<Tensor, Tensor> custom ? custom.call(ids) : Forward(ids);

    /// <summary>Sets training mode on the setup, the base model and every adapter (active or not).</summary>
    public override void train(bool train = true)
    {
        base.train(train);
        BaseModel.train(train);
        foreach (var module in CreatedModules()) module.train(train);
    }
}
