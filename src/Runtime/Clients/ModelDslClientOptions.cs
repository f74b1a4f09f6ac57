using ModelDsl.Generation;

namespace ModelDsl.Clients;

/// <summary>Options of a client registered with <see cref="ModelDslServiceCollectionExtensions"/>.</summary>
public sealed class ModelDslClientOptions
{
    /// <summary>Generation options used when a call does not give its own (a prompt client's <see cref="PromptClient.DefaultOptions"/>).</summary>
    public GenerationOptions DefaultOptions { get; set; } = new();

    /// <summary>
    /// Whether a prompt client's prompts include its <c>[Example]</c>s (<see cref="PromptClient.UseDeclaredExamples"/>);
    /// false for a fine-tuned model, which was trained without them.
    /// </summary>
    public bool UseDeclaredExamples { get; set; } = true;

    /// <summary>How the model's request queue batches concurrent calls (shared by every client of the model; the last registration set wins).</summary>
    public BatchingOptions Batching { get; set; } = new();

    /// <summary>The model's name in chat responses.</summary>
    public string ModelId { get; set; } = "modeldsl";
}
