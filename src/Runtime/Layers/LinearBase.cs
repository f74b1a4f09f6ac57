using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// What every affine layer has in common, whichever way it stores its weight: <see cref="Linear"/>
/// (<c>[out, in]</c>, PyTorch's layout) and <see cref="Conv1D"/> (<c>[in, out]</c>, GPT-2's layout).
/// PEFT methods that act on "a linear layer" (LoRA, selective training of weights) target this type; LoRA's
/// branch plugs in as the layer's <see cref="Update"/> (see <c>ModelDsl.Peft.LoraLayer</c>).
/// </summary>
public abstract partial class LinearBase : DslModule<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    protected LinearBase(string name) : base(name) { }

    /// <summary>The weight: <c>[OutFeatures, InFeatures]</c>, or <c>[InFeatures, OutFeatures]</c> when <see cref="WeightIsInputMajor"/>.</summary>
    /// <exception cref="System.InvalidOperationException">The weight is stored quantized (<see cref="Quantized"/>); it has no float parameter.</exception>
    public Parameter weight
    {
        get => TiedWeight ?? field ?? throw QuantizedWeightMissing();
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

    /// <summary>A branch added to the layer's output (LoRA's), or <see langword="null"/>; set by the PEFT runtime.</summary>
    public ILinearUpdate? Update { get; internal set; }

    /// <summary>The layer's own affine map, without any adapter: the float weight's, or the quantized weight's (<see cref="Quantized"/>).</summary>
    Tensor BaseForward(Tensor input) =>
        Quantized is { } quantized ? Quantization.FrozenLinear.Forward(input, quantized, bias) : FloatForward(input);

    /// <summary>The layer's own affine map with its float <see cref="weight"/>.</summary>
    protected abstract Tensor FloatForward(Tensor input);

    /// <summary><c>[..., InFeatures]</c> → <c>[..., OutFeatures]</c>: the base map, plus the <see cref="Update"/> when it is active.</summary>
    public override Tensor forward(Tensor input)
    {
        var update = Update;
        if (update is null || !update.IsActive) return BaseForward(input);
        using var scope = NewDisposeScope();
        return update.Apply(input, BaseForward(input)).MoveToOuterDisposeScope();   // (..., out)
    }

    /// <summary>
    /// Registers <paramref name="module"/> as the child <paramref name="name"/> on behalf of the <see cref="Update"/>,
    /// replacing one of that name (null removes it).
    /// </summary>
    internal void SetChild(string name, nn.Module? module)
    {
        if (_internal_submodules.ContainsKey(name)) _internal_submodules.Remove(name);   // TorchSharp's OrderedDict throws on a missing key
        _updateChildren.Remove(name);
        if (module is null) return;
        register_module(name, module);
        _updateChildren[name] = module;
    }

    readonly System.Collections.Generic.Dictionary<string, nn.Module> _updateChildren = new(System.StringComparer.Ordinal);

    /// <summary>The children the <see cref="Update"/> registered (LoRA's <c>lora_A</c>/<c>lora_B</c>): adapter state, not the layer's own.</summary>
    internal System.Collections.Generic.IEnumerable<nn.Module> UpdateChildren => _updateChildren.Values;

    /// <inheritdoc/>
    protected override void OnMoved(ScalarType? dtype, Device? device, bool nonBlocking)
    {
        MoveQuantized(device);
        Update?.OnHostMoved(dtype, device, nonBlocking);
    }
}

/// <summary>
/// A branch that adds to a <see cref="LinearBase"/>'s output (PEFT's LoRA). The host computes its base map and hands
/// the input and that output to <see cref="Apply"/>.
/// </summary>
public interface ILinearUpdate
{
    /// <summary>Whether the branch contributes now (an adapter is active, unmerged and enabled).</summary>
    bool IsActive { get; }

    /// <summary>The host's output with the branch added: <c>[..., in]</c>, <c>[..., out]</c> → <c>[..., out]</c>.</summary>
    Tensor Apply(Tensor input, Tensor baseOutput);

    /// <summary>The host was moved (<c>to(…)</c>); tensors the host does not register move along here.</summary>
    void OnHostMoved(ScalarType? dtype, Device? device, bool nonBlocking);
}
