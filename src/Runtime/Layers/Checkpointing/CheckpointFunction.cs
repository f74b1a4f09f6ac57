using System;
using System.Collections.Generic;
using ModelDsl.Layers.Autograd;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Checkpointing;

/// <summary>What one checkpointed call needs between its forward and its backward (tensors are saved apart).</summary>
internal sealed class CheckpointCall(Func<Tensor, IReadOnlyList<Tensor?>, Tensor> block, Tensor?[] constants,
    bool inputNeedsGrad, bool reseedCuda)
{
    public Func<Tensor, IReadOnlyList<Tensor?>, Tensor> Block { get; } = block;

    /// <summary>The constants as the caller passed them (the forward uses these; the backward unpacks saved ones).</summary>
    public Tensor?[] Constants { get; } = constants;

    /// <summary>Whether the caller's input requires a gradient (false when a stand-in was fed instead).</summary>
    public bool InputNeedsGrad { get; } = inputNeedsGrad;

    public bool ReseedCuda { get; } = reseedCuda;

    /// <summary>The seed given to the CUDA generator before the forward, when <see cref="ReseedCuda"/>.</summary>
    public long? CudaSeed { get; set; }

    public ForwardOutputSlot Output { get; } = new();
}

/// <summary>
/// The autograd function behind <see cref="GradientCheckpoint"/>. Its only differentiable input is the block's
/// input; the parameters the block uses receive their gradients from the nested backward pass of the recomputation
/// (the reentrant scheme), not through this node.
/// </summary>
internal sealed class CheckpointFunction : autograd.SingleTensorFunction<CheckpointFunction>
{
    const string CallKey = "call";

    /// <inheritdoc/>
    public override string Name => nameof(CheckpointFunction);

    /// <summary>Applies the function: <c>vars</c> is <c>[input, CheckpointCall]</c>.</summary>
    public static Tensor apply(Tensor input, CheckpointCall call) => apply([input, call]);

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var call = (CheckpointCall)vars[1];
        if (call.ReseedCuda)
        {
            // Drawn before the CPU state is captured, so the recomputation replays the CPU stream the forward saw.
            using var draw = randint(0, int.MaxValue, [1], dtype: ScalarType.Int64);
            call.CudaSeed = draw.item<long>();
            cuda.manual_seed(call.CudaSeed.Value);
        }
        var cpuRandomState = random.get_rng_state();                   // the CPU generator's state before the forward
        call.Output.Hold(cpuRandomState);
        var saved = new List<Tensor> { input, cpuRandomState };
        foreach (var constant in call.Constants) saved.Add(constant!);   // a null constant is saved as an empty slot
        ctx.save_for_backward(saved);
        ctx.save_data(CallKey, call);

        // Gradients are off here (TorchSharp's apply runs forward under no_grad): nothing of the block is recorded.
        using var scope = NewDisposeScope();
        var output = call.Block(input, call.Constants);
        call.Output.Raw = output.MoveToOuterDisposeScope();
        return output;
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        CustomFunctionTensors.Backward("a gradient-checkpointed block", grad_output, () =>
        {
            var saved = ctx.get_saved_variables();                 // [input, cpu random state, constants...]
            var call = (CheckpointCall)ctx.get_data(CallKey);
            var constants = saved.GetRange(2, saved.Count - 2).ToArray();
            using var current = random.get_rng_state();
            random.set_rng_state(saved[1]);
            if (call.CudaSeed is { } seed) cuda.manual_seed(seed);
            try
            {
                using var gradients = enable_grad();
                var input = saved[0].detach().requires_grad_(call.InputNeedsGrad);
                var output = call.Block(input, constants);
                if (output.requires_grad) autograd.backward([output], [grad_output]);
                var inputGrad = call.InputNeedsGrad ? input.grad : null;
                return [inputGrad, null];
            }
            finally
            {
                random.set_rng_state(current);                      // later draws do not notice the replay
            }
        });
}
