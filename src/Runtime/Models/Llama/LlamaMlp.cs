using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>Llama's gated feed-forward: <c>down_proj(silu(gate_proj(x)) · up_proj(x))</c>.</summary>
public sealed class LlamaMlp : DslModule<Tensor, Tensor>
{
    /// <summary>Gate, <c>[Ffn, D]</c>.</summary>
    public Linear gate_proj { get; }

    /// <summary>Up projection, <c>[Ffn, D]</c>.</summary>
    public Linear up_proj { get; }

    /// <summary>Down projection, <c>[D, Ffn]</c>.</summary>
    public Linear down_proj { get; }

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public LlamaMlp(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaMlp))
    {
        gate_proj = LlamaInit.Linear(config.Dim, config.Ffn, device, dtype);
        up_proj = LlamaInit.Linear(config.Dim, config.Ffn, device, dtype);
        down_proj = LlamaInit.Linear(config.Ffn, config.Dim, device, dtype);
        register_module("gate_proj", gate_proj);
        register_module("up_proj", up_proj);
        register_module("down_proj", down_proj);
    }

    /// <summary><c>[B, T, D]</c> → <c>[B, T, D]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x);   // (B, T, Ffn)
        return down_proj.forward(gated).MoveToOuterDisposeScope();                   // (B, T, D)
    }
}
