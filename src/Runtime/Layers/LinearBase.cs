using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// What every affine layer has in common, whichever way it stores its weight: <see cref="Linear"/>
/// (<c>[out, in]</c>, PyTorch's layout) and <see cref="Conv1D"/> (<c>[in, out]</c>, GPT-2's layout).
/// PEFT methods that act on "a linear layer" (LoRA, selective training of weights) target this type.
/// </summary>
/// <remarks>
/// <para>
/// The layer hosts LoRA adapters (Hu et al. 2021, as Hugging Face PEFT implements them), so the base
/// weight keeps its state-dict name (<c>…c_attn.weight</c>) and the active adapter's weights appear
/// beside it as <c>…c_attn.lora_A.weight</c> and <c>…c_attn.lora_B.weight</c>:
/// </para>
/// <code>
/// y = base(x) + lora_B(lora_A(dropout(x))) · scaling        scaling = alpha / r   (alpha / √r with rsLoRA)
/// A = lora_A.weight [r, in]  ~ Kaiming-uniform(a = √5)       B = lora_B.weight [out, r] = 0 at creation
/// merged weight: W' = W + scaling · (B·A)          [out, in]  (transposed to [in, out] when WeightIsInputMajor,
///                                                             PEFT's fan_in_fan_out)
/// </code>
/// <para>
/// Dropout acts on the LoRA branch only, in training mode, and is skipped entirely when p = 0. Several
/// named adapters may live on one layer; one is active (<see cref="UseLora"/> swaps without touching the
/// base weight). <see cref="MergeLora"/> folds the active adapter into the weight (in fp32 for half-precision
/// weights, refusing a non-finite result) and records it in <see cref="MergedLora"/>; <see cref="UnmergeLora"/>
/// subtracts it again. While merged, or inside <see cref="DisableLora"/>, the branch is not computed.
/// </para>
/// </remarks>
public abstract class LinearBase : DslModule<Tensor, Tensor>
{
    const string LoraAName = "lora_A";
    const string LoraBName = "lora_B";

    readonly Dictionary<string, LoraAdapter> _loraAdapters = new(StringComparer.Ordinal);
    int _loraDisabledDepth;

    /// <summary>Creates the layer.</summary>
    protected LinearBase(string name) : base(name) { }

    /// <summary>The weight: <c>[OutFeatures, InFeatures]</c>, or <c>[InFeatures, OutFeatures]</c> when <see cref="WeightIsInputMajor"/>.</summary>
    public Parameter weight
    {
        get => TiedWeight ?? field!;
        protected set => field = SetParameter("weight", field, value);
    }

    /// <summary>The bias, <c>[OutFeatures]</c>, or <see langword="null"/>.</summary>
    public Parameter? bias { get; protected set => field = SetParameter("bias", field, value!); }

    /// <summary>The weight of the layer this one is tied to, or <see langword="null"/> when it owns its weight.</summary>
    protected virtual Parameter? TiedWeight => null;

    /// <summary>Input width.</summary>
    public abstract long InFeatures { get; }

    /// <summary>Output width.</summary>
    public abstract long OutFeatures { get; }

    /// <summary>
    /// <see langword="true"/> when the weight is stored <c>[in, out]</c> (GPT-2's Conv1D; PEFT's <c>fan_in_fan_out</c>).
    /// </summary>
    public abstract bool WeightIsInputMajor { get; }

    /// <summary>Every LoRA adapter this layer hosts, by name.</summary>
    public IReadOnlyDictionary<string, LoraAdapter> LoraAdapters => _loraAdapters;

    /// <summary>The adapter applied in <see cref="forward"/> (registered as <c>lora_A</c>/<c>lora_B</c>), or <see langword="null"/>.</summary>
    public LoraAdapter? ActiveLora { get; private set; }

    /// <summary>What <see cref="MergeLora"/> folded into <see cref="weight"/>, or <see langword="null"/> when unmerged.</summary>
    public LoraMergeRecord? MergedLora { get; private set; }

    /// <summary>Whether the LoRA branch is currently switched off by <see cref="DisableLora"/>.</summary>
    public bool IsLoraDisabled => _loraDisabledDepth > 0;

    /// <summary>
    /// Creates a LoRA adapter named <paramref name="adapterName"/> on this layer, on the weight's device and dtype.
    /// The first adapter becomes active; later ones wait for <see cref="UseLora"/>.
    /// </summary>
    public LoraAdapter AddLora(string adapterName, LoraSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(adapterName);
        ArgumentNullException.ThrowIfNull(settings);
        if (_loraAdapters.ContainsKey(adapterName))
            throw new InvalidOperationException($"This layer already has a LoRA adapter named '{adapterName}'; pick another name or use the existing one.");
        long smaller = Math.Min(InFeatures, OutFeatures);
        if (settings.Rank > smaller)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Rank,
                $"LoRA rank {settings.Rank} exceeds the layer's smaller dimension ({smaller}, layer is [{OutFeatures} out, {InFeatures} in]); choose a rank ≤ {smaller}.");
        var adapter = new LoraAdapter(adapterName, InFeatures, OutFeatures, settings, weight.device, weight.dtype);
        _loraAdapters.Add(adapterName, adapter);
        if (ActiveLora is null) Activate(adapter);
        return adapter;
    }

    /// <summary>Makes <paramref name="adapterName"/> the active adapter; the base weight is not touched.</summary>
    /// <exception cref="InvalidOperationException">An adapter is merged (unmerge first), or the name is unknown.</exception>
    public void UseLora(string adapterName)
    {
        if (!_loraAdapters.TryGetValue(adapterName, out var adapter))
            throw new InvalidOperationException(
                $"This layer has no LoRA adapter named '{adapterName}' (it has: {string.Join(", ", _loraAdapters.Keys)}); add it first.");
        if (ReferenceEquals(adapter, ActiveLora)) return;
        if (MergedLora is { } merged)
            throw new InvalidOperationException(
                $"LoRA adapter '{merged.AdapterName}' is merged into the weight; call UnmergeLora() before switching to '{adapterName}'.");
        Activate(adapter);
    }

    /// <summary>
    /// Adds <c>scaling · B·A</c> of the active adapter to <see cref="weight"/> (transposed for input-major weights),
    /// computing in fp32 and casting back once. Does nothing if already merged.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no active adapter, LoRA is disabled, or the merged weight would not be finite.</exception>
    public void MergeLora()
    {
        if (MergedLora is not null) return;
        var adapter = ActiveLora ?? throw new InvalidOperationException("This layer has no LoRA adapter to merge; add one with AddLora first.");
        if (_loraDisabledDepth > 0)
            throw new InvalidOperationException("LoRA is disabled on this layer (inside a DisableLora scope); merge after the scope ends, or the merged weight would apply while disabled.");
        using var scope = NewDisposeScope();
        var delta = OrientedDelta(adapter);                                   // (out, in) or (in, out), fp32
        var merged = weight.detach().to_type(ScalarType.Float32).add(delta);   // same shape as weight
        if (!isfinite(merged).all().item<bool>())
            throw new InvalidOperationException(
                $"Merging LoRA adapter '{adapter.Name}' would put NaN or infinite values into the weight; the adapter is broken " +
                "(check its lora_A/lora_B for non-finite values or a diverged training run). The weight was left unchanged.");
        using (no_grad()) weight.copy_(merged.to_type(weight.dtype));
        MergedLora = new LoraMergeRecord(adapter.Name, adapter.Settings.Scaling, WeightIsInputMajor);
    }

    /// <summary>Subtracts what <see cref="MergeLora"/> added, restoring the base weight. Does nothing if not merged.</summary>
    public void UnmergeLora()
    {
        if (MergedLora is not { } record) return;
        var adapter = _loraAdapters[record.AdapterName];
        using var scope = NewDisposeScope();
        var delta = OrientedDelta(adapter);                                        // fp32
        var restored = weight.detach().to_type(ScalarType.Float32).sub(delta);
        using (no_grad()) weight.copy_(restored.to_type(weight.dtype));
        MergedLora = null;
    }

    /// <summary>
    /// Switches the LoRA branch off until the returned scope is disposed (scopes nest). A merged adapter is
    /// unmerged for the scope's lifetime and merged again at its end.
    /// </summary>
    public IDisposable DisableLora()
    {
        bool remerge = MergedLora is not null;
        if (remerge) UnmergeLora();
        _loraDisabledDepth++;
        return new ActionScope(() =>
        {
            _loraDisabledDepth--;
            if (remerge) MergeLora();
        });
    }

    /// <summary>The layer's own affine map, without any adapter.</summary>
    protected abstract Tensor BaseForward(Tensor input);

    /// <summary><c>[..., InFeatures]</c> → <c>[..., OutFeatures]</c>: the base map plus the active, unmerged, enabled LoRA branch.</summary>
    public override Tensor forward(Tensor input)
    {
        var adapter = ActiveLora;
        if (adapter is null || MergedLora is not null || _loraDisabledDepth > 0) return BaseForward(input);
        using var scope = NewDisposeScope();
        var result = BaseForward(input);                                                  // (..., out)
        var x = input.dtype == adapter.lora_A.weight.dtype ? input : input.to_type(adapter.lora_A.weight.dtype);
        if (training && adapter.Settings.Dropout > 0)
            x = nn.functional.dropout(x, adapter.Settings.Dropout, training: true);       // (..., in)
        var update = adapter.lora_B.forward(adapter.lora_A.forward(x));                   // (..., r) → (..., out)
        if (update.dtype != result.dtype) update = update.to_type(result.dtype);
        // The scaling rides on the add (one pass over (..., out) instead of a multiply and an add).
        return result.add(update, alpha: adapter.Settings.Scaling).MoveToOuterDisposeScope();
    }

    Tensor OrientedDelta(LoraAdapter adapter)
    {
        var delta = adapter.DeltaWeightFloat32();                                          // (out, in)
        return WeightIsInputMajor ? delta.t() : delta;                                     // (in, out) for Conv1D
    }

    /// <inheritdoc/>
    protected override void OnMoved(ScalarType? dtype, Device? device, bool nonBlocking)
    {
        // Only the active adapter is registered (and moved with the layer); the others move here.
        foreach (var adapter in _loraAdapters.Values.Where(a => !ReferenceEquals(a, ActiveLora)))
        {
            MoveAlong(adapter.lora_A, dtype, device, nonBlocking);
            MoveAlong(adapter.lora_B, dtype, device, nonBlocking);
        }
    }

    void Activate(LoraAdapter adapter)
    {
        if (ActiveLora is not null)
        {
            _internal_submodules.Remove(LoraAName);   // TorchSharp's OrderedDict throws on a missing key
            _internal_submodules.Remove(LoraBName);
        }
        register_module(LoraAName, adapter.lora_A);
        register_module(LoraBName, adapter.lora_B);
        adapter.lora_A.train(training);
        adapter.lora_B.train(training);
        ActiveLora = adapter;
    }
}

/// <summary>What a <see cref="LinearBase"/> merged into its weight.</summary>
/// <param name="AdapterName">The merged adapter.</param>
/// <param name="Scaling">The scaling used (<c>alpha/r</c> or <c>alpha/√r</c>).</param>
/// <param name="Transposed">Whether the delta was transposed to the input-major layout.</param>
public sealed record LoraMergeRecord(string AdapterName, double Scaling, bool Transposed);
