using System;
using ModelDsl.Data;
using ModelDsl.Models;

namespace ModelDsl.Training;

/// <summary>Checks, before any step runs, that a dataset fits the model: ids in the vocabulary, lengths within the context.</summary>
static class DataChecks
{
    public static void RequireFits(TokenizedDataset data, ICausalLanguageModel model, string role)
    {
        if (data.Count == 0) throw new ArgumentException($"The {role} dataset is empty.", role);
        for (var i = 0; i < data.Count; i++)
        {
            var sequence = data[i];
            if (sequence.Length > model.ContextLength)
                throw new ArgumentException($"{role} sequence {i} has {sequence.Length} tokens but the model's context is {model.ContextLength}; "
                    + "tokenize with a MaxLength no larger than the context.", role);
            foreach (var id in sequence.Ids)
                if (id < 0 || id >= model.VocabularySize)
                    throw new ArgumentException($"{role} sequence {i} holds token id {id}, outside the model's vocabulary of {model.VocabularySize}; "
                        + "was the data tokenized with another tokenizer, or is the pad/EOS id wrong?", role);
        }
    }
}
