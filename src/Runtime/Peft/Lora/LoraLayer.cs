using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Layers.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Peft;

/// <summary>
/// LoRA on one affine layer (Hu et al. 2021, as Hugging Face PEFT implements it): the host's base weight keeps its
/// state-dict name (<c>…c_attn.weight</c>) and the active adapter's weights appear beside it as
/// <c>…c_attn.lora_A.weight</c> and <c>…c_attn.lora_B.weight</c>.
/// </summary>
/// <remarks>
/// <code>
/// y = base(x) + lora_B(lora_A(dropout(x))) · scaling        scaling = alpha / r   (alpha / √r with rsLoRA)
/// A = lora_A.weight [r, in]  ~ Kaiming-uniform(a = √5)       B = lora_B.weight [out, r] = 0 at creation
/// merged weight: W' = W + scaling · (B·A)          [out, in]  (transposed to [in, out] when the host's weight is
///                                                             input-major, PEFT's fan_in_fan_out)
/// </code>
/// <para>
/// Dropout acts on the LoRA branch only, in training mode, and is skipped entirely when p = 0. Several named adapters
/// may live on one layer; one is active (<see cref="Use"/> swaps without touching the base weight). <see cref="Merge"/>
/// folds the active adapter into the weight (in fp32 for half-precision weights, refusing a non-finite result) and
/// records it in <see cref="Merged"/>; <see cref="Unmerge"/> subtracts it again. While merged, or inside
/// <see cref="Disable"/>, the branch is not computed.
/// </para>
/// <para>
/// On a quantized host (QLoRA, <see cref="LinearBase.Quantized"/>) the branch adds to the frozen quantized map. Merging
/// replaces the codes by the float weight <c>dequant(W) + scaling · B·A</c> (in the dtype the base was quantized from) and
/// keeps the codes aside; unmerging puts the very same codes back. PEFT's bitsandbytes merge re-quantizes the sum
/// instead, which keeps the memory low but rounds the adapter's update into 4-bit codes (the merged model no longer
/// computes what the unmerged one did) and drifts on every unmerge; here a merge is exact and reversible, at the cost of
/// a float weight for each merged layer while merged.
/// </para>
/// </remarks>
public sealed class LoraLayer : ILinearUpdate
{
    const string LoraAName = "lora_A";
    const string LoraBName = "lora_B";

    readonly LinearBase _host;
    readonly Dictionary<string, LoraAdapter> _adapters = new(StringComparer.Ordinal);
    int _disabledDepth;
    QuantizedWeight? _mergedFrom;   // a quantized host's codes while its merged float weight stands in for them

    LoraLayer(LinearBase host) => _host = host;

    /// <summary>The LoRA state of <paramref name="host"/>, created (and plugged in as its update) on first use.</summary>
    public static LoraLayer Of(LinearBase host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Update is LoraLayer existing) return existing;
        if (host.Update is not null)
            throw new InvalidOperationException($"The layer already carries a {host.Update.GetType().Name}; LoRA cannot be added beside it.");
        var lora = new LoraLayer(host);
        host.Update = lora;
        return lora;
    }

    /// <summary>The LoRA state of <paramref name="host"/>, or <see langword="null"/> when it has none.</summary>
    public static LoraLayer? Find(LinearBase host) => host.Update as LoraLayer;

    /// <summary>Every adapter on the layer, by name.</summary>
    public IReadOnlyDictionary<string, LoraAdapter> Adapters => _adapters;

    /// <summary>The adapter applied in the forward (registered as <c>lora_A</c>/<c>lora_B</c>), or <see langword="null"/>.</summary>
    public LoraAdapter? Active { get; private set; }

    /// <summary>What <see cref="Merge"/> folded into the weight, or <see langword="null"/> when unmerged.</summary>
    public LoraMergeRecord? Merged { get; private set; }

    /// <summary>Whether the branch is switched off by <see cref="Disable"/>.</summary>
    public bool IsDisabled => _disabledDepth > 0;

    /// <inheritdoc/>
    public bool IsActive => Active is not null && Merged is null && _disabledDepth == 0;

    /// <summary>
    /// Creates an adapter named <paramref name="adapterName"/> on the host's device and dtype. The first adapter becomes
    /// active; later ones wait for <see cref="Use"/>.
    /// </summary>
    public LoraAdapter Add(string adapterName, LoraSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(adapterName);
        ArgumentNullException.ThrowIfNull(settings);
        if (_adapters.ContainsKey(adapterName))
            throw new InvalidOperationException($"This layer already has a LoRA adapter named '{adapterName}'; pick another name or use the existing one.");
        RequireRankFits(_host, settings.Rank, "the layer");
        var adapter = new LoraAdapter(adapterName, _host.InFeatures, _host.OutFeatures, settings, _host.WeightDevice, _host.WeightDType);
        _adapters.Add(adapterName, adapter);
        if (Active is null) Activate(adapter);
        return adapter;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="where"/> when <paramref name="rank"/> exceeds the layer's smaller dimension.</summary>
    public static void RequireRankFits(LinearBase layer, long rank, string where)
    {
        ArgumentNullException.ThrowIfNull(layer);
        long smaller = Math.Min(layer.InFeatures, layer.OutFeatures);
        if (rank > smaller)
            throw new ArgumentOutOfRangeException("settings", rank,
                $"LoRA rank {rank} exceeds the smaller dimension of {where} ({smaller}; it is [{layer.OutFeatures} out, {layer.InFeatures} in]); choose a rank ≤ {smaller}.");
    }

    /// <summary>Makes <paramref name="adapterName"/> the active adapter; the base weight is not touched.</summary>
    /// <exception cref="InvalidOperationException">An adapter is merged (unmerge first), or the name is unknown.</exception>
    public void Use(string adapterName)
    {
        if (!_adapters.TryGetValue(adapterName, out var adapter))
            throw new InvalidOperationException(
                $"This layer has no LoRA adapter named '{adapterName}' (it has: {string.Join(", ", _adapters.Keys)}); add it first.");
        if (ReferenceEquals(adapter, Active)) return;
        if (Merged is { } merged)
            throw new InvalidOperationException(
                $"LoRA adapter '{merged.AdapterName}' is merged into the weight; call UnmergeLora() before switching to '{adapterName}'.");
        Activate(adapter);
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor input, Tensor baseOutput)
    {
        var adapter = Active!;
        using var scope = NewDisposeScope();
        Tensor a = adapter.lora_A.weight, b = adapter.lora_B.weight;                      // (r, in), (out, r)
        var x = input.dtype == a.dtype ? input : input.to_type(a.dtype);
        if (_host.training && adapter.Settings.Dropout > 0)
            x = nn.functional.dropout(x, adapter.Settings.Dropout, training: true);       // (..., in)
        var down = x.reshape(-1, _host.InFeatures).mm(a.t());                             // (N, r)
        var flatBase = baseOutput.reshape(-1, _host.OutFeatures);                         // (N, out), a view when contiguous
        double scaling = adapter.Settings.Scaling;
        Tensor sum;
        if (CanFuse(b.dtype, baseOutput.dtype, scaling))
        {
            // One product accumulates scaling · (down · Bᵀ) onto the base output: no (N, out) update to build, add and
            // (in backward) scale; the base output is read, not modified, so autograd needs nothing of it.
            sum = addmm(flatBase, down, b.t(), beta: 1, alpha: (float)scaling);           // (N, out)
        }
        else
        {
            var update = down.mm(b.t());                                                   // (N, out)
            if (update.dtype != baseOutput.dtype) update = update.to_type(baseOutput.dtype);
            sum = flatBase.add(update, alpha: scaling);
        }
        return sum.view(baseOutput.shape).MoveToOuterDisposeScope();                      // (..., out)
    }

    // addmm takes its alpha as a float: exact for float32 and half-precision products (which compute in float32), and
    // for a float64 product only when the scaling is a float. An adapter in another dtype than the base computes its
    // update in its own dtype and casts it once.
    static bool CanFuse(ScalarType adapter, ScalarType output, double scaling) =>
        adapter == output && (output != ScalarType.Float64 || (float)scaling == scaling);

    /// <summary>
    /// Adds <c>scaling · B·A</c> of the active adapter to the host's weight (transposed for input-major weights),
    /// computing in fp32 and casting back once. Does nothing if already merged.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no active adapter, LoRA is disabled, or the merged weight would not be finite.</exception>
    public void Merge()
    {
        if (Merged is not null) return;
        var adapter = Active ?? throw new InvalidOperationException("This layer has no LoRA adapter to merge; add one with AddLora first.");
        if (_disabledDepth > 0)
            throw new InvalidOperationException("LoRA is disabled on this layer (inside a DisableLora scope); merge after the scope ends, or the merged weight would apply while disabled.");
        using var scope = NewDisposeScope();
        if (_host.Quantized is { } quantized)
        {
            // QLoRA: the float sum dequant(W) + ΔW replaces the codes until Unmerge puts them back exactly.
            var sum = quantized.Dequantize(ScalarType.Float32).add(adapter.DeltaWeightFloat32());  // (out, in)
            RequireFinite(sum, adapter);
            _mergedFrom = _host.ReplaceQuantized(sum);
        }
        else
        {
            var weight = _host.weight;
            var merged = weight.detach().to_type(ScalarType.Float32).add(OrientedDelta(adapter));   // same shape as weight
            RequireFinite(merged, adapter);
            using (no_grad()) weight.copy_(merged.to_type(weight.dtype));
        }
        Merged = new LoraMergeRecord(adapter.Name, adapter.Settings.Scaling, _host.WeightIsInputMajor);
    }

    /// <summary>Subtracts what <see cref="Merge"/> added, restoring the base weight. Does nothing if not merged.</summary>
    public void Unmerge()
    {
        if (Merged is not { } record) return;
        if (_mergedFrom is { } quantized)
        {
            _host.RestoreQuantized(quantized);
            _mergedFrom = null;
            Merged = null;
            return;
        }
        using var scope = NewDisposeScope();
        var weight = _host.weight;
        var restored = weight.detach().to_type(ScalarType.Float32).sub(OrientedDelta(_adapters[record.AdapterName]));
        using (no_grad()) weight.copy_(restored.to_type(weight.dtype));
        Merged = null;
    }

    /// <summary>
    /// Switches the branch off until the returned scope is disposed (scopes nest). A merged adapter is unmerged for the
    /// scope's lifetime and merged again at its end.
    /// </summary>
    public IDisposable Disable()
    {
        bool remerge = Merged is not null;
        if (remerge) Unmerge();
        _disabledDepth++;
        return new ActionScope(() =>
        {
            _disabledDepth--;
            if (remerge) Merge();
        });
    }

    /// <summary>
    /// Removes every adapter from the layer (and its <c>lora_A</c>/<c>lora_B</c> children), leaving the plain layer with
    /// whatever is merged into its weight. PEFT's <c>unload</c> for one layer.
    /// </summary>
    public void Remove()
    {
        _host.SetChild(LoraAName, null);
        _host.SetChild(LoraBName, null);
        foreach (var adapter in _adapters.Values)
        {
            adapter.lora_A.Dispose();
            adapter.lora_B.Dispose();
        }
        _adapters.Clear();
        _mergedFrom?.Dispose();   // a merged quantized host keeps its float weight
        _mergedFrom = null;
        Active = null;
        Merged = null;
        _host.Update = null;
    }

    /// <inheritdoc/>
    public void OnHostMoved(ScalarType? dtype, Device? device, bool nonBlocking)
    {
        // Only the active adapter is registered (and moved with the host); the others move here.
        foreach (var adapter in _adapters.Values.Where(a => !ReferenceEquals(a, Active)))
        {
            LinearBase.MoveAlong(adapter.lora_A, dtype, device, nonBlocking);
            LinearBase.MoveAlong(adapter.lora_B, dtype, device, nonBlocking);
        }
    }

    static void RequireFinite(Tensor merged, LoraAdapter adapter)
    {
        if (!isfinite(merged).all().item<bool>())
            throw new InvalidOperationException(
                $"Merging LoRA adapter '{adapter.Name}' would put NaN or infinite values into the weight; the adapter is broken " +
                "(check its lora_A/lora_B for non-finite values or a diverged training run). The weight was left unchanged.");
    }

    Tensor OrientedDelta(LoraAdapter adapter)
    {
        var delta = adapter.DeltaWeightFloat32();                                          // (out, in)
        return _host.WeightIsInputMajor ? delta.t() : delta;                               // (in, out) for Conv1D
    }

    void Activate(LoraAdapter adapter)
    {
        _host.SetChild(LoraAName, adapter.lora_A);
        _host.SetChild(LoraBName, adapter.lora_B);
        adapter.lora_A.train(_host.training);
        adapter.lora_B.train(_host.training);
        Active = adapter;
    }
}

/// <summary>What a <see cref="LoraLayer"/> merged into its host's weight.</summary>
/// <param name="AdapterName">The merged adapter.</param>
/// <param name="Scaling">The scaling used (<c>alpha/r</c> or <c>alpha/√r</c>).</param>
/// <param name="Transposed">Whether the delta was transposed to the input-major layout.</param>
public sealed record LoraMergeRecord(string AdapterName, double Scaling, bool Transposed);
