using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Peft;

// Injection (called by generated constructors) and the adapter lifecycle: add, use, disable, merge.
public abstract partial class PeftSetup
{
    readonly List<string> _adapterNames = [];
    readonly Dictionary<string, LoraSettings> _loraSettings = new(StringComparer.Ordinal);
    readonly List<LoraTarget> _loraTargets = [];
    readonly Dictionary<string, SoftPrompt> _prompts = new(StringComparer.Ordinal);
    readonly List<BottleneckSlot> _bottleneckSlots = [];
    readonly List<SelectedParameter> _selected = [];
    BottleneckAdapterRegistry? _bottleneckRegistry;
    int _disabledDepth;

    /// <summary>The adapter in use (<see cref="DefaultAdapterName"/> until <see cref="UseAdapter"/>).</summary>
    public string ActiveAdapter { get; private set; }

    /// <summary>Every adapter name, in creation order.</summary>
    public IReadOnlyList<string> AdapterNames => _adapterNames;

    /// <summary>The layers carrying LoRA, in attach order.</summary>
    public IReadOnlyList<LoraTarget> LoraTargets => _loraTargets;

    /// <summary>The LoRA settings of each adapter (a loaded adapter keeps its file's rank and alpha).</summary>
    public IReadOnlyDictionary<string, LoraSettings> LoraSettingsByAdapter => _loraSettings;

    /// <summary>The soft prompt of each adapter (prompt tuning only).</summary>
    public IReadOnlyDictionary<string, SoftPrompt> Prompts => _prompts;

    /// <summary>The active adapter's soft prompt, or <see langword="null"/>.</summary>
    public SoftPrompt? ActivePrompt => _prompts.GetValueOrDefault(ActiveAdapter);

    /// <summary>The block slots holding bottleneck adapters, in attach order.</summary>
    public IReadOnlyList<BottleneckSlot> BottleneckSlots => _bottleneckSlots;

    /// <summary>The base parameters a selective or full setup trains, with their state-dict names.</summary>
    public IReadOnlyList<SelectedParameter> SelectedParameters => _selected;

    /// <summary>Whether a LoRA adapter is currently merged into the base weights.</summary>
    public bool IsMerged => _loraTargets.Any(t => t.Layer.MergedLora is not null);

    /// <summary>Whether adapters are currently switched off by <see cref="DisableAdapters"/>.</summary>
    public bool AreAdaptersDisabled => _disabledDepth > 0;

    /// <summary>Puts LoRA on <paramref name="layer"/> (state-dict path <paramref name="path"/>) for every adapter name.</summary>
    protected void AttachLora(LinearBase layer, string path)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Config is not LoraConfig lora)
            throw new InvalidOperationException($"AttachLora needs a LoraConfig; this setup does {Config.MethodName()}.");
        // The rule the generator applies at compile time, enforced again for setups written by hand.
        if (lora.TargetModules.Count > 0 && !Targeting.TargetPatterns.Matches(path, lora.TargetModules))
            throw new ArgumentException(
                $"'{path}' is not matched by the LoRA targets [{string.Join(", ", lora.TargetModules)}]; add it to TargetModules or attach a matching layer.", nameof(path));
        if (layer is ModelDsl.Layers.Linear { IsTied: true })
            throw new ArgumentException(
                $"'{path}' shares its weight with another layer (a tied head); merging LoRA into it would change that layer too. Target an untied layer.", nameof(layer));
        if (_loraTargets.Any(t => ReferenceEquals(t.Layer, layer) || t.Path == path))
            throw new InvalidOperationException($"LoRA is already attached to '{path}'; each target layer is attached once.");
        _loraTargets.Add(new LoraTarget(path, layer));
        foreach (var name in _adapterNames)
            layer.AddLora(name, _loraSettings[name]).SetTrainable(name == ActiveAdapter);
    }

    /// <summary>
    /// Creates a bottleneck adapter for the block slot at <paramref name="path"/> (e.g. <c>transformer.h.0.attention_adapter</c>)
    /// for every adapter name and puts the active one in the slot through <paramref name="assign"/>.
    /// </summary>
    protected void AttachBottleneck(string path, Action<BottleneckAdapter?> assign)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(assign);
        if (Config is not BottleneckConfig)
            throw new InvalidOperationException($"AttachBottleneck needs a BottleneckConfig; this setup does {Config.MethodName()}.");
        if (_bottleneckSlots.Any(s => s.Path == path))
            throw new InvalidOperationException($"A bottleneck adapter is already attached at '{path}'.");
        var slot = new BottleneckSlot(path, assign);
        _bottleneckSlots.Add(slot);
        foreach (var name in _adapterNames) AddBottleneck(slot, name);
        if (_bottleneckRegistry is null)
        {
            _bottleneckRegistry = new BottleneckAdapterRegistry();
            register_module(BottleneckAdapterRegistry.Name, _bottleneckRegistry);
        }
        _bottleneckRegistry.Set(path, slot.Adapters[ActiveAdapter]);
        slot.Assign(slot.Adapters[ActiveAdapter]);
    }

    /// <summary>Marks a base parameter (state-dict name <paramref name="path"/>) as trained by a selective setup (e.g. every bias for BitFit).</summary>
    protected void Train(Parameter parameter, string path)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Config is not SelectiveConfig)
            throw new InvalidOperationException($"Train(parameter) needs a SelectiveConfig; this setup does {Config.MethodName()}.");
        if (_selected.Any(s => s.Parameter.Handle == parameter.Handle))
            throw new InvalidOperationException($"Parameter '{path}' is already selected for training.");
        parameter.requires_grad = true;
        _selected.Add(new SelectedParameter(path, parameter));
    }

    /// <summary>
    /// Creates a second (third, …) adapter named <paramref name="name"/> on every target, frozen until <see cref="UseAdapter"/>.
    /// A LoRA adapter uses <paramref name="loraSettings"/> when given (e.g. a loaded file's), else the setup's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The LoRA rank exceeds a target layer's smaller dimension; no layer was changed.</exception>
    public void AddAdapter(string name, LoraSettings? loraSettings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var call = EnterAdapterCall(nameof(AddAdapter), AdapterCall.Change);
        if (_adapterNames.Contains(name))
            throw new InvalidOperationException($"The setup already has an adapter named '{name}' (it has: {string.Join(", ", _adapterNames)}).");
        switch (Config)
        {
            case LoraConfig lora:
                var settings = loraSettings ?? lora.Settings;
                // Every target is checked before any gets the adapter, so a refusal leaves the setup as it was.
                foreach (var target in _loraTargets) LoraLayer.RequireRankFits(target.Layer, settings.Rank, target.Path);
                _loraSettings[name] = settings;
                foreach (var target in _loraTargets) target.Layer.AddLora(name, settings).SetTrainable(false);
                break;
            case PromptTuningConfig:
                AddPromptNamed(name);
                break;
            case BottleneckConfig:
                foreach (var slot in _bottleneckSlots) SetTrainable(AddBottleneck(slot, name).parameters(), false);
                break;
            default:
                throw new InvalidOperationException(
                    $"{Config.MethodName()} trains the base's own parameters, so there is no separate adapter to add; use a LoRA, prompt or bottleneck setup for several adapters.");
        }
        _adapterNames.Add(name);
    }

    /// <summary>Switches every target to adapter <paramref name="name"/>; the base weights are not touched.</summary>
    /// <exception cref="InvalidOperationException">The name is unknown, or an adapter is merged (call <see cref="Unmerge"/> first).</exception>
    public void UseAdapter(string name)
    {
        using var call = EnterAdapterCall(nameof(UseAdapter), AdapterCall.Change);
        if (!_adapterNames.Contains(name))
            throw new InvalidOperationException($"The setup has no adapter named '{name}' (it has: {string.Join(", ", _adapterNames)}); add or load it first.");
        if (IsMerged)
            throw new InvalidOperationException($"Adapter '{ActiveAdapter}' is merged into the base weights; call Unmerge() before switching to '{name}'.");
        SetTrainable(AdapterParameters(ActiveAdapter), false);
        ActiveAdapter = name;
        foreach (var target in _loraTargets) target.Layer.UseLora(name);
        if (_prompts.TryGetValue(name, out var prompt)) ConditionallyRegisterParameter(PromptParameterName, prompt.weight);
        foreach (var slot in _bottleneckSlots)
        {
            _bottleneckRegistry!.Set(slot.Path, slot.Adapters[name]);
            if (_disabledDepth == 0) slot.Assign(slot.Adapters[name]);
        }
        SetTrainable(AdapterParameters(name), true);
    }

    /// <summary>
    /// Folds the active LoRA adapter into the base weights (zero inference overhead). Selective and full setups have
    /// nothing to fold (their weights are trained in place), so this does nothing for them.
    /// </summary>
    /// <exception cref="InvalidOperationException">Prompt tuning or bottleneck adapters: they are not linear maps of a weight.</exception>
    public void Merge()
    {
        using var call = EnterAdapterCall(nameof(Merge), AdapterCall.Change);
        ThrowIfAdditive(nameof(Merge));
        MergeAll();
    }

    /// <summary>Subtracts what <see cref="Merge"/> added, restoring the base weights.</summary>
    public void Unmerge()
    {
        using var call = EnterAdapterCall(nameof(Unmerge), AdapterCall.Change);
        ThrowIfAdditive(nameof(Unmerge));
        foreach (var target in _loraTargets) target.Layer.UnmergeLora();
    }

    /// <summary>
    /// PEFT's <c>merge_and_unload</c>: folds the active LoRA adapter into the base weights, removes every adapter from the
    /// base's layers and returns the plain base model (its parameters stay frozen, as PEFT leaves them). Saving it writes
    /// exactly the base's keys with the merged weights, which load strictly here and in transformers. For selective and
    /// full setups the base already holds the trained weights and is returned as it is. A quantized base comes back as a
    /// plain float model: each merged layer holds <c>dequant(W) + ΔW</c>, every other quantized layer its dequantized weight
    /// (in the dtype it was quantized from). The setup is unusable afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">Prompt tuning or bottleneck adapters (not foldable), or adapters are disabled in a scope.</exception>
    public nn.Module MergeAndUnload()
    {
        using (EnterAdapterCall(nameof(MergeAndUnload), AdapterCall.Change))
        {
            ThrowIfAdditive(nameof(MergeAndUnload));
            if (_disabledDepth > 0)
                throw new InvalidOperationException("MergeAndUnload() inside a DisableAdapters() scope would merge an adapter that is switched off; end the scope first.");
            MergeAll();
            foreach (var target in _loraTargets) LoraLayer.Find(target.Layer)?.Remove();
            DequantizeAll();
            _loraTargets.Clear();
            _loraSettings.Clear();
            _adapterNames.Clear();
            _unloaded = true;
        }
        return BaseModel;
    }

    // All layers or none: a merge refused on one layer (a non-finite result) undoes those already merged.
    void MergeAll()
    {
        var merged = new List<LinearBase>();
        try
        {
            foreach (var target in _loraTargets)
            {
                var already = target.Layer.MergedLora is not null;
                target.Layer.MergeLora();
                if (!already) merged.Add(target.Layer);
            }
        }
        catch
        {
            foreach (var layer in merged) layer.UnmergeLora();
            throw;
        }
    }

    /// <summary>
    /// Runs the plain base model until the returned scope is disposed: LoRA branches off (a merged adapter is
    /// unmerged for the scope), bottleneck slots emptied, soft prompt not prepended.
    /// </summary>
    /// <exception cref="InvalidOperationException">Selective or full setups: the base's own weights are what trains.</exception>
    public IDisposable DisableAdapters()
    {
        using var call = EnterAdapterCall(nameof(DisableAdapters), AdapterCall.Toggle);
        if (Config is SelectiveConfig or FullFineTuneConfig)
            throw new InvalidOperationException(
                $"{Config.MethodName()} changes the base's own weights in place, so there is no adapter to switch off; reload the base checkpoint to compare.");
        var loraScopes = _loraTargets.Select(t => t.Layer.DisableLora()).ToList();
        if (_disabledDepth++ == 0) foreach (var slot in _bottleneckSlots) slot.Assign(null);
        return new ActionScope(() =>
        {
            foreach (var scope in loraScopes) scope.Dispose();
            if (--_disabledDepth == 0) foreach (var slot in _bottleneckSlots) slot.Assign(slot.Adapters[ActiveAdapter]);
        });
    }

    void ThrowIfAdditive(string operation)
    {
        if (Config is PromptTuningConfig or BottleneckConfig)
            throw new InvalidOperationException(
                $"{operation}() applies to LoRA only; {Config.MethodName()} adds new computation that cannot be folded into the base weights. Keep the adapter active, or use DisableAdapters() for the plain base.");
    }

    void AddPrompt(string name, bool trainable)
    {
        var prompt = AddPromptNamed(name);
        SetTrainable(prompt.parameters(), trainable);
        ConditionallyRegisterParameter(PromptParameterName, prompt.weight);
    }

    SoftPrompt AddPromptNamed(string name)
    {
        var config = (PromptTuningConfig)Config;
        var device = BaseModel.parameters().First().device;
        var prompt = config.Init switch
        {
            PromptTuningInit.Random => SoftPrompt.Random(config.Tokens, EmbeddingDim, device),
            PromptTuningInit.SampleVocab => PromptFromTokenIds(randint(0, VocabularySize, [config.Tokens], dtype: ScalarType.Int64, device: device)),
            PromptTuningInit.Text => PromptFromTokenIds(TextInitIds(config, device)),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Init, "Unknown prompt-tuning init."),
        };
        SetTrainable(prompt.parameters(), false);
        _prompts.Add(name, prompt);
        return prompt;
    }

    Tensor TextInitIds(PromptTuningConfig config, Device device)
    {
        var textIds = config.InitTextTokenIds ?? throw new InvalidOperationException(
            $"Prompt tuning with TEXT init needs the init text's token ids: tokenise \"{config.InitText}\" with the model's tokenizer and set PromptTuningConfig.InitTextTokenIds.");
        if (textIds.Count == 0)
            throw new InvalidOperationException($"The prompt-tuning init text \"{config.InitText}\" tokenised to no ids; give a non-empty text or use Random init.");
        foreach (var id in textIds)
            if (id < 0 || id >= VocabularySize)
                throw new InvalidOperationException($"Init text token id {id} is outside the vocabulary [0, {VocabularySize}); tokenise with the model's own tokenizer.");
        return tensor(SoftPrompt.TextInitIds(config.Tokens, textIds).ToArray(), device: device);
    }

    // The embedding rows of ids [P] (only those rows are looked up, not the whole table).
    // The prompt's parameter must outlive this call, so temporaries are disposed one by one, not by a scope.
    SoftPrompt PromptFromTokenIds(Tensor ids)
    {
        using (ids)
        using (no_grad())
        using (var batch = ids.unsqueeze(0))                 // (1, P)
        using (var embedded = EmbedTokens(batch))            // (1, P, D)
        using (var rows = embedded.squeeze(0))               // (P, D)
            return SoftPrompt.FromEmbeddings(rows);
    }

    BottleneckAdapter AddBottleneck(BottleneckSlot slot, string name)
    {
        var config = (BottleneckConfig)Config;
        var first = BaseModel.parameters().First();
        var adapter = new BottleneckAdapter(EmbeddingDim, config.Bottleneck, config.Activation, first.device, first.dtype);
        adapter.train(training);
        slot.Add(name, adapter);
        return adapter;
    }

    IEnumerable<nn.Module> CreatedModules()
    {
        foreach (var target in _loraTargets)
            foreach (var adapter in target.Layer.LoraAdapters.Values)
            {
                yield return adapter.lora_A;
                yield return adapter.lora_B;
            }
        foreach (var prompt in _prompts.Values) yield return prompt;
        foreach (var slot in _bottleneckSlots)
            foreach (var adapter in slot.Adapters.Values) yield return adapter;
    }

    static void SetTrainable(IEnumerable<Parameter> parameters, bool trainable)
    {
        foreach (var parameter in parameters) parameter.requires_grad = trainable;
    }
}
