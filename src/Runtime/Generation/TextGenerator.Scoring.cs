using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Generation;

public sealed partial class TextGenerator
{
    /// <summary>
    /// Log-likelihood of each of <paramref name="candidates"/> as the continuation of <paramref name="prompt"/>, in
    /// one batched forward: the prompt is encoded as <see cref="Encode"/> does (with the tokenizer's BOS when it adds
    /// one), the candidate on its own without special tokens, and appended to the prompt's tokens as one sequence (so
    /// include a leading space in the candidate when the text would have one). Only the candidate's tokens are scored.
    /// </summary>
    /// <exception cref="PromptTooLongException">The prompt with a candidate does not fit in the context window.</exception>
    public IReadOnlyList<ContinuationScore> ScoreContinuations(string prompt, IReadOnlyList<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0) throw new ArgumentException("At least one candidate is needed.", nameof(candidates));
        var promptIds = Encode(prompt);
        if (promptIds.Count == 0)
            throw new ArgumentException("The prompt encodes to no tokens; the first candidate token would have nothing to be predicted from.", nameof(prompt));
        var candidateIds = candidates.Select(Tokenizer.EncodeText).ToArray();
        for (var i = 0; i < candidates.Count; i++)
            if (candidateIds[i].Count == 0)
                throw new ArgumentException($"Candidate {i} (\"{candidates[i]}\") encodes to no tokens.", nameof(candidates));
        TokenIdBounds.Require(promptIds, Model.VocabularySize, "The prompt", nameof(prompt));
        for (var i = 0; i < candidates.Count; i++)
            TokenIdBounds.Require(candidateIds[i], Model.VocabularySize, $"Candidate {i} (\"{candidates[i]}\")", nameof(candidates));
        var longest = candidateIds.Max(c => c.Count);
        if (promptIds.Count + longest > Model.ContextLength)
            throw new PromptTooLongException(promptIds.Count, longest, Model.ContextLength);

        IReadOnlyList<int>[] rows = candidateIds.Select(c => (IReadOnlyList<int>)promptIds.Concat(c).ToArray()).ToArray();
        using var mode = EvalMode.Enter(Model);
        using var grad = no_grad();
        var (ids, mask) = PromptBatch.LeftPad(rows, PadTokenId, PromptBatch.DeviceOf(Model));      // (B, W) each
        using var ownedIds = ids;
        using var ownedMask = mask;
        using var scope = NewDisposeScope();
        var logProbs = Model.Forward(ids, mask).to_type(ScalarType.Float32).log_softmax(-1);       // (B, W, V)
        // Token t is predicted by the logits at t - 1.
        var predicted = logProbs[TensorIndex.Colon, TensorIndex.Slice(0, -1), TensorIndex.Colon];   // (B, W-1, V)
        var targets = ids[TensorIndex.Colon, TensorIndex.Slice(1)].unsqueeze(-1);                   // (B, W-1, 1)
        var tokenLogProbs = predicted.gather(-1, targets).squeeze(-1).cpu();                        // (B, W-1)
        var width = ids.shape[1];
        var scores = new ContinuationScore[candidates.Count];
        for (var b = 0; b < candidates.Count; b++)
        {
            var count = candidateIds[b].Count;
            var row = tokenLogProbs[b].data<float>().ToArray();
            var sum = 0.0;
            for (var t = width - count; t < width; t++) sum += row[t - 1];
            scores[b] = new ContinuationScore(candidates[b], sum, count);
        }
        return scores;
    }
}
