using System;
using TorchSharp;
using static TorchSharp.torch;
using ModelDsl.Layers;

namespace ModelDsl.Peft;

/// <summary>
/// One named LoRA adapter of a <see cref="LinearBase"/> host: <c>lora_A</c> <c>[r, in]</c>
/// (Kaiming-uniform, a = √5) and <c>lora_B</c> <c>[out, r]</c> (zeros), so a fresh adapter adds exactly 0.
/// The host registers the active adapter's two layers as its own children <c>lora_A</c> and <c>lora_B</c>.
/// </summary>
public sealed class LoraAdapter
{
    /// <summary>Creates an adapter for a host of the given widths.</summary>
    public LoraAdapter(string name, long inFeatures, long outFeatures, LoraSettings settings, Device? device = null, ScalarType? dtype = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(settings);
        Name = name;
        Settings = settings;
        lora_A = new Linear(inFeatures, settings.Rank, hasBias: false, device, dtype);   // Kaiming-uniform(a = √5), as torch.nn.Linear
        lora_B = new Linear(settings.Rank, outFeatures, hasBias: false, device, dtype);
        using (no_grad()) lora_B.weight.zero_();                                         // B = 0 → a fresh adapter is a no-op
    }

    /// <summary>The adapter's name (PEFT's default is <c>default</c>).</summary>
    public string Name { get; }

    /// <summary>Rank, alpha, dropout and scaling.</summary>
    public LoraSettings Settings { get; }

    /// <summary>The down projection, weight <c>[r, in]</c>.</summary>
    public Linear lora_A { get; }

    /// <summary>The up projection, weight <c>[out, r]</c>.</summary>
    public Linear lora_B { get; }

    /// <summary>
    /// The weight update <c>scaling · B·A</c> as <c>[out, in]</c>, computed in fp32 (whatever the adapter's
    /// dtype) so that half-precision weights are merged without losing the small update.
    /// </summary>
    public Tensor DeltaWeightFloat32()
    {
        using var scope = NewDisposeScope();
        var a = lora_A.weight.detach().to_type(ScalarType.Float32);   // (r, in)
        var b = lora_B.weight.detach().to_type(ScalarType.Float32);   // (out, r)
        var delta = b.matmul(a).mul_(Settings.Scaling);               // (out, in)
        return delta.MoveToOuterDisposeScope();
    }

    /// <summary>Sets whether the adapter's two weights receive gradients.</summary>
    public void SetTrainable(bool trainable)
    {
        lora_A.weight.requires_grad = trainable;
        lora_B.weight.requires_grad = trainable;
    }
}
