using ModelDsl.Families;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>The gated feed-forward of the rotary decoder families: <c>down_proj(act(gate) · up)</c>.</summary>
public abstract class DecoderMlp : DslModule<Tensor, Tensor>
{
    /// <summary>Down projection, <c>[D, Ffn]</c> (registered by the subclass, in Hugging Face's order).</summary>
    public Linear down_proj { get; }

    /// <summary>The activation applied to the gate.</summary>
    public Activation Activation { get; }

    private protected DecoderMlp(string name, FamilyShape shape, Device? device, ScalarType? dtype) : base(name)
    {
        down_proj = DecoderInit.Linear(shape.Ffn, shape.Dim, false, device, dtype);
        Activation = shape.Activation switch
        {
            FamilyActivation.Gelu => Activation.Gelu,
            FamilyActivation.GeluTanh => Activation.GeluTanh,
            FamilyActivation.Relu => Activation.Relu,
            _ => Activation.Silu,
        };
    }

    /// <summary>The gate and the up projection for <paramref name="x"/>, <c>[B, T, Ffn]</c> each.</summary>
    private protected abstract (Tensor Gate, Tensor Up) GateAndUp(Tensor x);

    /// <summary><c>[B, T, D]</c> → <c>[B, T, D]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (gate, up) = GateAndUp(x);
        var gated = Activations.Apply(Activation, gate) * up;          // (B, T, Ffn)
        return down_proj.forward(gated).MoveToOuterDisposeScope();     // (B, T, D)
    }
}

/// <summary>Separate <c>gate_proj</c> and <c>up_proj</c> (Llama, Mistral, Qwen2, Qwen3, Gemma).</summary>
public sealed class GatedMlp : DecoderMlp
{
    /// <summary>Gate, <c>[Ffn, D]</c>.</summary>
    public Linear gate_proj { get; }

    /// <summary>Up projection, <c>[Ffn, D]</c>.</summary>
    public Linear up_proj { get; }

    internal GatedMlp(FamilyShape shape, Device? device, ScalarType? dtype) : base(nameof(GatedMlp), shape, device, dtype)
    {
        gate_proj = DecoderInit.Linear(shape.Dim, shape.Ffn, false, device, dtype);
        up_proj = DecoderInit.Linear(shape.Dim, shape.Ffn, false, device, dtype);
        register_module("gate_proj", gate_proj);
        register_module("up_proj", up_proj);
        register_module("down_proj", down_proj);
    }

    private protected override (Tensor Gate, Tensor Up) GateAndUp(Tensor x) => (gate_proj.forward(x), up_proj.forward(x));
}

/// <summary>Phi-3's <c>gate_up_proj</c> <c>[2·Ffn, D]</c>: the first half of its output is the gate, the second the up projection.</summary>
public sealed class FusedGatedMlp : DecoderMlp
{
    /// <summary>Fused gate and up projection, <c>[2·Ffn, D]</c>.</summary>
    public Linear gate_up_proj { get; }

    internal FusedGatedMlp(FamilyShape shape, Device? device, ScalarType? dtype) : base(nameof(FusedGatedMlp), shape, device, dtype)
    {
        gate_up_proj = DecoderInit.Linear(shape.Dim, 2L * shape.Ffn, false, device, dtype);
        register_module("gate_up_proj", gate_up_proj);
        register_module("down_proj", down_proj);
    }

    private protected override (Tensor Gate, Tensor Up) GateAndUp(Tensor x)
    {
        var halves = gate_up_proj.forward(x).chunk(2, dim: -1);        // 2 × (B, T, Ffn)
        return (halves[0], halves[1]);
    }
}
