using System;
using System.Collections.Generic;
using ModelDsl.Layers.Autograd;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Checkpointing;

/// <summary>
/// Gradient checkpointing of one block, as PyTorch's reentrant <c>torch.utils.checkpoint.checkpoint(fn, x,
/// use_reentrant=True, preserve_rng_state=True)</c> does it: the forward runs without recording the block's
/// activations, and the backward runs the block again (with gradients on) and back-propagates through that
/// recomputation. Memory held between forward and backward drops from every activation of the block to its input
/// (plus, in TorchSharp 0.107, an uninitialised tensor of the output's size that every custom autograd function
/// keeps for materialising gradients).
/// </summary>
/// <remarks>
/// <para>
/// Gradients reach the block's input and, by a nested backward pass, every parameter the block uses (accumulated
/// into their <c>.grad</c> like any other backward). They equal those of the plain forward: dropout and every other
/// random operation see the same random numbers in the recomputation, because the CPU generator's state is saved
/// before the forward and restored for the recomputation (and put back afterwards, so later random draws do not
/// notice the replay). On CUDA, where TorchSharp 0.107 exposes no generator state, the forward seeds the CUDA
/// generator with a seed drawn from the CPU generator and the recomputation seeds it again with the same seed.
/// </para>
/// <para>
/// An input that does not require a gradient (the output of a frozen embedding under LoRA) is replaced by a
/// detached alias that does, so the block's trainable parameters still get their gradients; the alias's own
/// gradient is dropped. This is what Hugging Face's <c>enable_input_require_grads</c> arranges for the reentrant
/// checkpoint, where otherwise the parameters would silently get no gradient. Without gradient recording
/// (<c>no_grad</c>, evaluation) the block simply runs.
/// </para>
/// <para>
/// The block must compute the same function when run again: it must not change state between the two runs
/// (a key/value cache, its training flag), and tensors it captures must stay alive until backward. Tensors it
/// receives through <c>constants</c> are kept for the recomputation by the checkpoint itself.
/// </para>
/// </remarks>
public static class GradientCheckpoint
{
    /// <summary>Runs <paramref name="block"/> on <paramref name="input"/> with checkpointing.</summary>
    public static Tensor Run(Func<Tensor, Tensor> block, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(block);
        return Run((x, _) => block(x), input);
    }

    /// <summary>
    /// Runs <paramref name="block"/> on <paramref name="input"/> and <paramref name="constants"/> with checkpointing.
    /// The constants are inputs without gradient (attention masks, rotary tables; null entries are passed as null):
    /// gradients do not flow into them, so a constant that requires a gradient is refused.
    /// </summary>
    public static Tensor Run(Func<Tensor, IReadOnlyList<Tensor?>, Tensor> block, Tensor input, params Tensor?[] constants)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(constants);
        for (var i = 0; i < constants.Length; i++)
        {
            if (constants[i] is { requires_grad: true })
                throw new ArgumentException(
                    $"Checkpoint constant {i} requires a gradient, but constants receive none; pass it detached, or make it " +
                    "the block's input (or a parameter the block uses) if it must be trained.", nameof(constants));
        }
        if (!is_grad_enabled()) return block(input, constants);

        CustomFunctionTensors.ReleaseParked();
        var needsInputGrad = input.requires_grad;
        using var standIn = needsInputGrad ? null : input.detach().requires_grad_(true);
        var call = new CheckpointCall(block, constants, needsInputGrad, reseedCuda: input.device_type == DeviceType.CUDA);
        try
        {
            return CheckpointFunction.apply(standIn ?? input, call);
        }
        finally
        {
            call.Output.Release();
        }
    }
}
