using System.Collections.Generic;
using ModelDsl.Models;

namespace ModelDsl.Generation;

/// <summary>Token ids given to generation and scoring are checked against the model's vocabulary before any forward.</summary>
internal static class TokenIdChecks
{
    /// <summary>Every prompt's ids and the end-of-sequence id must lie in the model's vocabulary.</summary>
    public static void RequirePrompts(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, ICausalLanguageModel model)
    {
        for (var i = 0; i < prompts.Count; i++)
            TokenIdBounds.Require(prompts[i], model.VocabularySize, prompts.Count == 1 ? "The prompt" : $"Prompt {i}", "promptIds");
        if (options.EndOfSequenceTokenId is { } eos)
            TokenIdBounds.Require([eos], model.VocabularySize, "GenerationOptions.EndOfSequenceTokenId", nameof(options));
        if (options.EndOfSequenceTokenIds.Count > 0)
            TokenIdBounds.Require(options.EndOfSequenceTokenIds, model.VocabularySize, "GenerationOptions.EndOfSequenceTokenIds", nameof(options));
        TokenIdBounds.Require(options.EndOfSequenceTokenIds, model.VocabularySize, "GenerationOptions.EndOfSequenceTokenIds", nameof(options));
    }
}
