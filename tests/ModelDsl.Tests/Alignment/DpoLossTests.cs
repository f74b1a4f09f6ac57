using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training.Alignment;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Alignment;

public sealed class DpoLossTests
{
    // log σ(x), written without the library, stable for both signs.
    static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));

    // The published losses in float64: DPO's sigmoid with conservative label smoothing, and IPO.
    static double ExpectedLoss(double pc, double pr, double rc, double rr, DpoOptions o)
    {
        var h = (pc - rc) - (pr - rr);
        return o.Loss == PreferenceLoss.Ipo
            ? Math.Pow(h - 1 / (2 * o.Beta), 2)
            : -(1 - o.LabelSmoothing) * LogSigmoid(o.Beta * h) - o.LabelSmoothing * LogSigmoid(-o.Beta * h);
    }

    public static TheoryData<double, double, PreferenceLoss> Settings => new()
    {
        { 0.1, 0.0, PreferenceLoss.Sigmoid },
        { 0.5, 0.2, PreferenceLoss.Sigmoid },
        { 0.3, 0.0, PreferenceLoss.Ipo },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Loss_and_rewards_equal_a_float64_computation_from_the_log_probabilities(double beta, double smoothing, PreferenceLoss loss)
    {
        var options = new DpoOptions { Beta = beta, LabelSmoothing = smoothing, Loss = loss };
        manual_seed(3);
        // Summed log-probabilities of answers of a few tokens: tens of nats, with both signs of the margin. Float64, so
        // the comparison checks the formula rather than float32 rounding of IPO's squares (hundreds).
        var logps = Enumerable.Range(0, 4).Select(_ => -30 * rand(8, dtype: ScalarType.Float64)).ToArray();
        var terms = DpoLoss.Compute(logps[0], logps[1], logps[2], logps[3], options);

        var v = logps.Select(t => t.to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();
        var losses = terms.Losses.to_type(ScalarType.Float64).data<double>().ToArray();
        var chosen = terms.ChosenRewards.to_type(ScalarType.Float64).data<double>().ToArray();
        var rejected = terms.RejectedRewards.to_type(ScalarType.Float64).data<double>().ToArray();
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(ExpectedLoss(v[0][i], v[1][i], v[2][i], v[3][i], options), losses[i], 1e-6);
            Assert.Equal(beta * (v[0][i] - v[2][i]), chosen[i], 1e-6);
            Assert.Equal(beta * (v[1][i] - v[3][i]), rejected[i], 1e-6);
        }
        Assert.False(terms.ChosenRewards.requires_grad);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_dpo_step_on_a_lora_setup_equals_a_float64_computation_over_answer_tokens_only(double beta, double smoothing, PreferenceLoss loss)
    {
        var options = new DpoOptions { Beta = beta, LabelSmoothing = smoothing, Loss = loss };
        using var model = AlignmentModels.Gpt2(seed: 5);
        using var setup = AlignmentModels.Lora(model);
        AlignmentModels.Perturb(setup, seed: 6);
        setup.eval();
        // Answers of different lengths, so the batch is padded.
        var data = AlignmentModels.Pairs(("the cat sees", " the sun.", " a tree."), ("a dog", " likes my hat.", " finds."), ("my fox hears", " the moon.", " the moon?"));
        var objective = new DpoObjective(setup, data, options);

        var step = objective.Loss([0, 1, 2], device: null);

        // Independently: each sequence alone (no padding), float64 log-softmax, answer positions from the labels.
        double LogProb(TokenizedSequence s, bool adapters)
        {
            using var scope = NewDisposeScope();
            using var off = adapters ? null : setup.DisableAdapters();
            using var noGrad = no_grad();
            var logits = setup.Forward(tensor(s.Ids.Select(i => (long)i).ToArray(), [1, s.Length]))[0].to_type(ScalarType.Float64);
            var logSoftmax = logits.log_softmax(-1).data<double>().ToArray();
            var vocab = (int)logits.shape[1];
            double sum = 0;
            var count = 0;
            for (var t = 1; t < s.Length; t++)
                if (s.Labels[t] != TokenizedSequence.Ignore) { sum += logSoftmax[(t - 1) * vocab + s.Labels[t]]; count++; }
            return loss == PreferenceLoss.Ipo ? sum / count : sum;
        }
        var expected = new Dictionary<string, double>();
        double expectedLoss = 0;
        foreach (var pair in data)
        {
            double pc = LogProb(pair.Chosen, true), pr = LogProb(pair.Rejected, true), rc = LogProb(pair.Chosen, false), rr = LogProb(pair.Rejected, false);
            expectedLoss += ExpectedLoss(pc, pr, rc, rr, options) / 3;
            void Add(string name, double value) => expected[name] = expected.GetValueOrDefault(name) + value / 3;
            Add("rewards/chosen", beta * (pc - rc));
            Add("rewards/rejected", beta * (pr - rr));
            Add("rewards/margins", beta * (pc - rc) - beta * (pr - rr));
            Add("rewards/accuracies", pc - rc > pr - rr ? 1 : 0);
            Add("logps/chosen", pc);
            Add("logps/rejected", pr);
        }

        // The step's forward is float32 over a padded batch, the reference's over each sequence alone: equal to float32
        // rounding, 1e-6 of the loss's size (IPO squares a difference of averages, 2.65 for β = 0.3; on a Zen 5
        // processor the two differed by 1.03e-6).
        Assert.Equal(expectedLoss, step.Sum.to_type(ScalarType.Float64).item<double>() / 3, 1e-6 * Math.Max(1, Math.Abs(expectedLoss)));
        foreach (var name in new[] { "rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies" })
            Assert.Equal(expected[name], step.MetricSums![name] / 3, 1e-6);
        // Log-probabilities are tens of nats summed in float32: equal to float32 rounding.
        Assert.Equal(expected["logps/chosen"], step.MetricSums!["logps/chosen"] / 3, 1e-4);
        Assert.Equal(expected["logps/rejected"], step.MetricSums!["logps/rejected"] / 3, 1e-4);
        Assert.NotEqual(0, expected["rewards/margins"]);   // the adapter makes policy and reference differ
    }
}
