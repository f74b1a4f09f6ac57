using System;
using ModelDsl.Data;
using ModelDsl.Models;

namespace ModelDsl.Training;

/// <summary>Checks, before any step runs, that a dataset fits the model: ids, labels and the pad id in the vocabulary, lengths within the context.</summary>
static class DataChecks
{
    public static void RequireFits(TokenizedDataset data, ICausalLanguageModel model, string role)
    {
        if (data.Count == 0) throw new ArgumentException($"The {role} dataset is empty.", role);
        TokenIdBounds.Require([data.PadTokenId], model.VocabularySize, $"The {role} dataset's pad token", role);
        for (var i = 0; i < data.Count; i++)
        {
            var sequence = data[i];
            if (sequence.Length > model.ContextLength)
                throw new ArgumentException($"{role} sequence {i} has {sequence.Length} tokens but the model's context is {model.ContextLength}; "
                    + "tokenize with a MaxLength no larger than the context (Trainer.Fit(Dataset, …) does so by default).", role);
            TokenIdBounds.Require(sequence.Ids, model.VocabularySize, $"{role} sequence {i}", role);
            foreach (var label in sequence.Labels)
                if (label != TokenizedSequence.Ignore && (label < 0 || label >= model.VocabularySize))
                    throw new ArgumentException(TokenIdBounds.Message($"{role} sequence {i}'s labels", label, model.VocabularySize), role);
        }
    }
}
