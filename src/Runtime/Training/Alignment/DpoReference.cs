using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;
using static TorchSharp.torch;

namespace ModelDsl.Training.Alignment;

/// <summary>
/// Where DPO's reference log-probabilities come from. Each is computed in evaluation mode (no dropout) without gradients.
/// </summary>
public abstract class DpoReference
{
    private protected DpoReference() { }

    /// <summary>
    /// The policy's own base: a PEFT setup with its adapters switched off for the reference pass, so one copy of the base
    /// serves both (the default for LoRA, bottleneck and prompt-tuning setups).
    /// </summary>
    public static DpoReference AdaptersDisabled { get; } = new DisabledAdapters();

    /// <summary>
    /// The policy's log-probabilities computed once, when the objective is built, before any training step (the default
    /// for full fine-tuning and plain models). Build the objective from the starting weights, and before
    /// <c>Trainer.Resume</c> when resuming, so a resumed run compares against the same reference.
    /// </summary>
    public static DpoReference Precomputed { get; } = new OnceFromPolicy();

    /// <summary>
    /// A separate copy of the starting model (for example the SFT model loaded again), run beside the policy at each step;
    /// binding it freezes its parameters.
    /// </summary>
    public static DpoReference FrozenModel(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not ICausalLanguageModel)
            throw new ArgumentException($"{model.GetType().Name} does not implement {nameof(ICausalLanguageModel)}; a DPO reference gives next-token logits.", nameof(model));
        return new Frozen(model);
    }

    /// <summary>Binds the reference to the objective's policy and data; log-probabilities are per answer (summed or averaged).</summary>
    internal abstract Bound Bind(nn.Module policy, TokenizedPreferences data, DpoOptions options);

    /// <summary>A reference ready to give the log-probabilities of the chosen and rejected answers of some pairs, each <c>[B]</c>.</summary>
    internal abstract class Bound
    {
        public abstract (Tensor Chosen, Tensor Rejected) LogProbs(IReadOnlyList<int> indices, Batch batch);
    }

    /// <summary>The answers' log-probabilities under <paramref name="model"/> for a <see cref="PreferenceBatch"/> (eval mode, no gradients).</summary>
    internal static (Tensor Chosen, Tensor Rejected) Score(nn.Module model, Batch batch, DpoOptions options)
    {
        using var eval = ModelActivity.Inference(model, "DPO reference");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = ((ICausalLanguageModel)model).Forward(batch.InputIds, batch.AttentionMaskIfPadded);   // (2B, T, V)
        var (chosen, rejected) = Split(logits, batch, options);
        return (chosen.MoveToOuterDisposeScope(), rejected.MoveToOuterDisposeScope());
    }

    /// <summary>Per-answer log-probabilities of a <see cref="PreferenceBatch"/>'s logits, split into chosen and rejected <c>[B]</c>.</summary>
    internal static (Tensor Chosen, Tensor Rejected) Split(Tensor logits, Batch batch, DpoOptions options)
    {
        var (sum, count) = AnswerLogProbs.Of(logits, batch.Labels);                   // (2B), (2B)
        var logProbs = options.AveragesLogProbs ? sum / count : sum;
        var pairs = logProbs.shape[0] / 2;
        return (logProbs[..(int)pairs], logProbs[(int)pairs..]);
    }

    sealed class DisabledAdapters : DpoReference
    {
        internal override Bound Bind(nn.Module policy, TokenizedPreferences data, DpoOptions options)
        {
            if (policy is not PeftSetup setup || setup.Config is FullFineTuneConfig or SelectiveConfig || setup.IsUnloaded)
                throw new ArgumentException(
                    $"DpoReference.AdaptersDisabled needs a PEFT setup with adapters (LoRA, bottleneck, prompt tuning); {Describe(policy)} changes the base weights itself. "
                    + "Use DpoReference.Precomputed or DpoReference.FrozenModel.", nameof(policy));
            if (setup.IsMerged)
                throw new ArgumentException("The setup's LoRA adapter is merged into the base, so switching it off does not give the base back; unmerge it before DPO.", nameof(policy));
            return new BoundDisabled(setup, options);
        }

        sealed class BoundDisabled(PeftSetup setup, DpoOptions options) : Bound
        {
            public override (Tensor Chosen, Tensor Rejected) LogProbs(IReadOnlyList<int> indices, Batch batch)
            {
                // Switched off before the evaluation-mode scope: a toggle is refused while inference is running on the setup.
                using var off = setup.DisableAdapters();
                return Score(setup, batch, options);
            }
        }
    }

    sealed class Frozen(nn.Module model) : DpoReference
    {
        internal override Bound Bind(nn.Module policy, TokenizedPreferences data, DpoOptions options)
        {
            if (ReferenceEquals(policy, model))
                throw new ArgumentException("The frozen reference is the policy itself; pass a separate copy of the starting model, or use DpoReference.Precomputed.", nameof(policy));
            if (model.parameters().Any(p => p.requires_grad))
                foreach (var parameter in model.parameters()) parameter.requires_grad = false;
            return new BoundFrozen(model, options);
        }

        sealed class BoundFrozen(nn.Module model, DpoOptions options) : Bound
        {
            public override (Tensor Chosen, Tensor Rejected) LogProbs(IReadOnlyList<int> indices, Batch batch) => Score(model, batch, options);
        }
    }

    sealed class OnceFromPolicy : DpoReference
    {
        const int BatchSize = 8;

        internal override Bound Bind(nn.Module policy, TokenizedPreferences data, DpoOptions options)
        {
            var chosen = new double[data.Count];
            var rejected = new double[data.Count];
            var device = policy.parameters().FirstOrDefault()?.device;
            for (var start = 0; start < data.Count; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var indices = Enumerable.Range(start, Math.Min(BatchSize, data.Count - start)).ToList();
                using var batch = PreferenceBatch.Collate(data, indices, device);
                var (c, r) = Score(policy, batch, options);
                var cs = c.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
                var rs = r.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
                for (var k = 0; k < indices.Count; k++) (chosen[start + k], rejected[start + k]) = (cs[k], rs[k]);
            }
            return new BoundPrecomputed(chosen, rejected);
        }

        sealed class BoundPrecomputed(double[] chosen, double[] rejected) : Bound
        {
            public override (Tensor Chosen, Tensor Rejected) LogProbs(IReadOnlyList<int> indices, Batch batch)
            {
                var device = batch.InputIds.device;
                return (tensor(indices.Select(i => chosen[i]).ToArray(), device: device), tensor(indices.Select(i => rejected[i]).ToArray(), device: device));
            }
        }
    }

    static string Describe(nn.Module policy) => policy is PeftSetup s ? $"{s.GetType().Name} ({s.Config.MethodName()})" : policy.GetType().Name;
}
