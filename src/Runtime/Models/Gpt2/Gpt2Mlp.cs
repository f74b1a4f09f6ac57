using ModelDsl.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>GPT-2 feed-forward: <c>c_proj(gelu_tanh(c_fc(x)))</c> with a 4·D hidden width.</summary>
public sealed class Gpt2Mlp : DslModule<Tensor, Tensor>
{
    /// <summary>Expansion, weight <c>[D, 4D]</c>.</summary>
    public Conv1D c_fc { get; }

    /// <summary>Contraction, weight <c>[4D, D]</c>.</summary>
    public Conv1D c_proj { get; }

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public Gpt2Mlp(Gpt2Config config, Device? device = null, ScalarType? dtype = null) : base(nameof(Gpt2Mlp))
    {
        c_fc = new Conv1D(config.Dim, 4L * config.Dim, device, dtype);
        c_proj = new Conv1D(4L * config.Dim, config.Dim, device, dtype, initStd: 0.02 / System.Math.Sqrt(2.0 * config.Layers));
        register_module("c_fc", c_fc);
        register_module("c_proj", c_proj);
    }

    /// <summary><c>[B, T, D]</c> → <c>[B, T, D]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.gelu(c_fc.forward(x), GELU.Approximate.tanh);   // (B, T, 4D)
        return c_proj.forward(hidden).MoveToOuterDisposeScope();                   // (B, T, D)
    }
}
