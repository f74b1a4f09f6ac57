using System;
using System.Collections.Generic;
using ModelDsl.Layers.Autograd;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// The summed cross-entropy of a frozen head's logits, PyTorch's <c>cross_entropy(hidden · Wᵀ, targets, reduction:
/// Sum, ignore_index)</c>, computed a few rows at a time so that the <c>[N, V]</c> logits never exist whole. The head's weight trains nothing (LoRA,
/// prompt tuning), so each chunk's input gradient <c>(softmax − onehot) · W</c> is computed in forward, while the
/// chunk's logits are at hand, and backward only scales it: no logits are kept and none are recomputed.
/// </summary>
/// <remarks>
/// On GPT-2's 50,257-token vocabulary a <c>[N, V]</c> float32 buffer is 196 KiB per token, several times a
/// transformer block's activations; on Llama 3's or Qwen 2.5's 128–152k vocabularies it is 0.5–0.6 MiB per token.
/// </remarks>
internal static class HeadCrossEntropy
{
    /// <summary>
    /// Bytes of logits one chunk may hold (float32): small beside the step's activations, wide enough for fast products.
    /// Measured with the allocator keeping freed memory (<see cref="HeapRetention"/>): 4 → 8 MiB took LoRA on the suite's
    /// model from 1770–1915 to 1990–2044 tokens/s; 16 MiB was no faster and raised GPT-2 small's LoRA peak by 35 MiB.
    /// </summary>
    const long ChunkBytes = 8L << 20;

    /// <summary>
    /// The summed loss over <paramref name="hidden"/> <c>[N, D]</c> (float32) through <paramref name="weight"/>
    /// <c>[V, D]</c> (float32, no gradient) against <paramref name="targets"/> <c>[N]</c>; rows whose target is
    /// <paramref name="ignoreIndex"/> count nothing.
    /// </summary>
    public static Tensor Compute(Tensor hidden, Tensor weight, Tensor targets, long ignoreIndex)
    {
        if (weight.requires_grad)
            throw new ArgumentException("The head's weight must be frozen: its gradient is not computed here.", nameof(weight));
        var call = new HeadCrossEntropyCall(weight, targets, ignoreIndex);
        if (!is_grad_enabled() || !hidden.requires_grad)
        {
            using var noGradient = no_grad();
            using var scope = NewDisposeScope();
            return Run(hidden, call, inputGradient: null).MoveToOuterDisposeScope();
        }
        CustomFunctionTensors.ReleaseParked();
        try
        {
            return HeadCrossEntropyFunction.apply(hidden, call);
        }
        finally
        {
            call.Output.Release();
        }
    }

    /// <summary>Rows per chunk for a vocabulary of <paramref name="vocabulary"/> (at least 16).</summary>
    internal static long ChunkRows(long vocabulary) => Math.Max(16, ChunkBytes / (4 * vocabulary));

    /// <summary>The summed loss; when <paramref name="inputGradient"/> is given, fills it with ∂loss/∂hidden <c>[N, D]</c>.</summary>
    internal static Tensor Run(Tensor hidden, HeadCrossEntropyCall call, Tensor? inputGradient)
    {
        long rows = hidden.shape[0], step = ChunkRows(call.Weight.shape[0]);
        var loss = zeros([], dtype: hidden.dtype, device: hidden.device);
        for (long start = 0; start < rows; start += step)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(step, rows - start);
            Tensor logProbabilities;
            using (var logits = nn.functional.linear(hidden.narrow(0, start, length), call.Weight))  // (n, V)
                logProbabilities = logits.log_softmax(1);                                              // (n, V)
            var chunk = Rows.Of(logProbabilities, call.Targets.narrow(0, start, length), call.IgnoreIndex);
            loss.add_(chunk.Loss);
            if (inputGradient is null) continue;
            var softmax = logProbabilities.exp_();                                                     // in place (n, V)
            var gradient = chunk.IntoGradient(softmax);                                                // (n, V)
            inputGradient.narrow(0, start, length).copy_(gradient.mm(call.Weight));                  // (n, D)
        }
        return loss;
    }

    /// <summary>One chunk's rows, from their log-probabilities <c>log_softmax(logits)</c> <c>[n, V]</c>: the loss, and what the gradient needs.</summary>
    sealed record Rows(Tensor Loss, Tensor SafeTargets, Tensor IgnoredRows)
    {
        public static Rows Of(Tensor logProbabilities, Tensor targets, long ignoreIndex)
        {
            var ignored = targets.eq(ignoreIndex);                                         // (n) bool
            var safeTargets = targets.masked_fill(ignored, 0);                             // (n), ignored rows point at 0
            var picked = logProbabilities.gather(1, safeTargets.unsqueeze(1)).squeeze(1);  // (n), log p(target)
            // Filled rather than multiplied by a 0/1 weight: an ignored row's non-finite logits must not reach the sum.
            var loss = picked.masked_fill(ignored, 0).sum().neg();                         // ()
            return new Rows(loss, safeTargets, ignored.nonzero().squeeze(1));              // ignored row indices (K)
        }

        /// <summary>Turns these rows' <paramref name="softmax"/> into the loss's gradient in place: softmax − onehot(target), zero on ignored rows.</summary>
        public Tensor IntoGradient(Tensor softmax)
        {
            using var scope = NewDisposeScope();
            var minusOne = full(SafeTargets.shape[0], 1, -1.0, dtype: softmax.dtype, device: softmax.device);
            softmax.scatter_add_(1, SafeTargets.unsqueeze(1), minusOne).index_fill_(0, IgnoredRows, 0);
            return softmax;
        }
    }
}

/// <summary>What one call passes to its forward besides the hidden states.</summary>
internal sealed class HeadCrossEntropyCall(Tensor weight, Tensor targets, long ignoreIndex)
{
    public Tensor Weight { get; } = weight;
    public Tensor Targets { get; } = targets;
    public long IgnoreIndex { get; } = ignoreIndex;
    public ForwardOutputSlot Output { get; } = new();
}

/// <summary>The autograd function behind <see cref="HeadCrossEntropy"/>: inputs <c>[hidden, call]</c>; saves ∂loss/∂hidden.</summary>
internal sealed class HeadCrossEntropyFunction : autograd.SingleTensorFunction<HeadCrossEntropyFunction>
{
    /// <inheritdoc/>
    public override string Name => nameof(HeadCrossEntropyFunction);

    /// <summary>Applies the function.</summary>
    public static Tensor apply(Tensor hidden, HeadCrossEntropyCall call) => apply([hidden, call]);

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var hidden = (Tensor)vars[0];
        var call = (HeadCrossEntropyCall)vars[1];
        var inputGradient = empty_like(hidden);                                                       // (N, D)
        var loss = HeadCrossEntropy.Run(hidden, call, inputGradient);
        ctx.save_for_backward([inputGradient]);
        call.Output.Hold(inputGradient);
        call.Output.Raw = loss;
        return loss;
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        CustomFunctionTensors.Backward("the chunked head cross-entropy", grad_output, () =>
        {
            var inputGradient = ctx.get_saved_variables()[0];                                          // (N, D) for an upstream of 1
            return [inputGradient.mul(grad_output.to_type(inputGradient.dtype)), null];
        });
}
