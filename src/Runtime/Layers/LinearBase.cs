using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// What every affine layer has in common, whichever way it stores its weight: <see cref="Linear"/>
/// (<c>[out, in]</c>, PyTorch's layout) and <see cref="Conv1D"/> (<c>[in, out]</c>, GPT-2's layout).
/// PEFT methods that act on "a linear layer" (LoRA, selective training of weights) target this type.
/// </summary>
public abstract class LinearBase : DslModule<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    protected LinearBase(string name) : base(name) { }

    /// <summary>The weight: <c>[OutFeatures, InFeatures]</c>, or <c>[InFeatures, OutFeatures]</c> when <see cref="WeightIsInputMajor"/>.</summary>
    public abstract Parameter weight { get; }

    /// <summary>The bias, <c>[OutFeatures]</c>, or <see langword="null"/>.</summary>
    public abstract Parameter? bias { get; }

    /// <summary>Input width.</summary>
    public abstract long InFeatures { get; }

    /// <summary>Output width.</summary>
    public abstract long OutFeatures { get; }

    /// <summary>
    /// <see langword="true"/> when the weight is stored <c>[in, out]</c> (GPT-2's Conv1D; PEFT's <c>fan_in_fan_out</c>).
    /// </summary>
    public abstract bool WeightIsInputMajor { get; }

    /// <summary>The layer's own affine map, without any adapter.</summary>
    protected abstract Tensor BaseForward(Tensor input);

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => BaseForward(input);
}
