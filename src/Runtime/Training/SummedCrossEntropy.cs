using System.Collections.Generic;
using ModelDsl.Layers.Autograd;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Summed token cross-entropy, <c>Σ (logsumexp(zᵢ) − zᵢ[yᵢ])</c> over the rows whose target is not ignored, with
/// the gradient <c>softmax(zᵢ) − onehot(yᵢ)</c>: PyTorch's <c>cross_entropy(reduction: Sum, ignore_index)</c>, computed
/// so that backward holds one vocabulary-wide buffer beside the logits instead of three.
/// </summary>
/// <remarks>
/// PyTorch's version saves a log-softmax copy of the logits, and its backward makes a one-hot gradient and then the
/// logits' gradient, each <c>[N, V]</c>. Here only the logits (alive anyway) and the targets are saved, and backward
/// writes the softmax, the one-hot subtraction and the scaling into a single new buffer. On GPT-2's 50,257-token
/// vocabulary those buffers were about half of a LoRA step's activation memory.
/// </remarks>
internal static class SummedCrossEntropy
{
    /// <summary>
    /// The summed loss over <paramref name="logits"/> <c>[N, V]</c> (float32 or float64) and <paramref name="targets"/>
    /// <c>[N]</c> (int64); rows whose target is <paramref name="ignoreIndex"/> count nothing and get no gradient.
    /// </summary>
    public static Tensor Compute(Tensor logits, Tensor targets, long ignoreIndex)
    {
        if (!is_grad_enabled() || !logits.requires_grad)
        {
            using var scope = NewDisposeScope();
            return Rows.Of(logits.log_softmax(1), targets, ignoreIndex).Loss.MoveToOuterDisposeScope();
        }
        CustomFunctionTensors.ReleaseParked();
        var call = new CrossEntropyCall(targets, ignoreIndex);
        try
        {
            return SummedCrossEntropyFunction.apply(logits, call);
        }
        finally
        {
            call.Output.Release();
        }
    }

    /// <summary>
    /// What forward computes per row from the log-probabilities <c>log_softmax(logits)</c> <c>[N, V]</c> (one fused
    /// kernel; <c>logsumexp</c> takes more passes): the loss, and what backward needs besides the logits.
    /// </summary>
    internal sealed record Rows(Tensor Loss, Tensor SafeTargets, Tensor IgnoredRows)
    {
        public static Rows Of(Tensor logProbabilities, Tensor targets, long ignoreIndex)
        {
            var ignored = targets.eq(ignoreIndex);                                         // (N) bool
            var safeTargets = targets.masked_fill(ignored, 0);                             // (N), ignored rows point at 0
            var picked = logProbabilities.gather(1, safeTargets.unsqueeze(1)).squeeze(1);  // (N), log p(target)
            // Filled rather than multiplied by a 0/1 weight: an ignored row's non-finite logits must not reach the sum.
            var loss = picked.masked_fill(ignored, 0).sum().neg();                         // ()
            return new Rows(loss, safeTargets, ignored.nonzero().squeeze(1));              // ignored row indices (K)
        }
    }

    /// <summary>
    /// Turns <paramref name="softmax"/> <c>[N, V]</c> (the rows' softmax) into the summed loss's gradient in place,
    /// <c>softmax − onehot(target)</c>, zero on the <paramref name="ignoredRows"/>; <paramref name="safeTargets"/> and
    /// <paramref name="ignoredRows"/> as <see cref="Rows"/> holds them.
    /// </summary>
    public static Tensor IntoGradient(Tensor softmax, Tensor safeTargets, Tensor ignoredRows)
    {
        using var scope = NewDisposeScope();
        var minusOne = full(safeTargets.shape[0], 1, -1.0, dtype: softmax.dtype, device: softmax.device);
        softmax.scatter_add_(1, safeTargets.unsqueeze(1), minusOne).index_fill_(0, ignoredRows, 0);
        return softmax;
    }
}

/// <summary>What one call passes to its forward besides the logits.</summary>
internal sealed class CrossEntropyCall(Tensor targets, long ignoreIndex)
{
    public Tensor Targets { get; } = targets;
    public long IgnoreIndex { get; } = ignoreIndex;
    public ForwardOutputSlot Output { get; } = new();
}

/// <summary>The autograd function behind <see cref="SummedCrossEntropy"/>: inputs <c>[logits, call]</c>.</summary>
internal sealed class SummedCrossEntropyFunction : autograd.SingleTensorFunction<SummedCrossEntropyFunction>
{
    /// <inheritdoc/>
    public override string Name => nameof(SummedCrossEntropyFunction);

    /// <summary>Applies the function.</summary>
    public static Tensor apply(Tensor logits, CrossEntropyCall call) => apply([logits, call]);

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var logits = (Tensor)vars[0];
        var call = (CrossEntropyCall)vars[1];
        using var scope = NewDisposeScope();
        var rows = SummedCrossEntropy.Rows.Of(logits.log_softmax(1), call.Targets, call.IgnoreIndex);   // the [N, V] temporary dies with the scope
        ctx.save_for_backward([logits, rows.SafeTargets, rows.IgnoredRows]);
        call.Output.Hold(rows.SafeTargets, rows.IgnoredRows);
        call.Output.Raw = rows.Loss.MoveToOuterDisposeScope();
        return call.Output.Raw;
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        CustomFunctionTensors.Backward("the summed cross-entropy", grad_output, () =>
        {
            var saved = ctx.get_saved_variables();                  // [logits, safe targets, ignored rows]
            var softmax = saved[0].softmax(1);                                               // (N, V)
            var gradient = SummedCrossEntropy.IntoGradient(softmax, saved[1], saved[2]).mul_(grad_output.to_type(softmax.dtype));
            return [gradient, null];
        });
}
