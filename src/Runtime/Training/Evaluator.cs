using System;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Layers;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>Scores a model on a dataset: mean next-token loss, perplexity and token accuracy.</summary>
static class Evaluator
{
    public static EvalRecord Run(nn.Module module, TokenizedDataset data, int batchSize, long step, Device? device)
    {
        if (data.Count == 0) throw new ArgumentException("The eval dataset is empty.", nameof(data));
        var model = (ICausalLanguageModel)module;
        // Reference-counted with generation on the same model: the last call to finish restores training mode.
        using (ModelActivity.Inference(module, "Evaluate"))
        {
            using var _ = no_grad();
            double sumNll = 0;
            long correct = 0, scored = 0;
            for (var start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var sequences = Enumerable.Range(start, Math.Min(batchSize, data.Count - start)).Select(i => data[i]).ToList();
                using var batch = Batch.Collate(sequences, data.PadTokenId, device);
                var logits = model.Forward(batch.InputIds, batch.AttentionMaskIfPadded);
                sumNll += CausalLmLoss.SumNll(logits, batch.Labels).to_type(ScalarType.Float64).item<double>();
                correct += CausalLmLoss.CorrectPredictions(logits, batch.Labels);
                scored += batch.TargetCount;
            }
            if (scored == 0) throw new ArgumentException("The eval dataset has no scored tokens.", nameof(data));
            var loss = sumNll / scored;
            return new EvalRecord(step, loss, Metrics.Perplexity.FromMeanNll(loss), (double)correct / scored, scored);
        }
    }
}
