using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using ModelDsl.Chat;
using ModelDsl.Generation;
using ModelDsl.Models;
using ModelDsl.Tokenization;

namespace ModelDsl.Clients;

/// <summary>
/// An <see cref="IChatClient"/> over any <see cref="ICausalLanguageModel"/> and tokenizer. Conversations are rendered with
/// the tokenizer's own chat template (<see cref="ChatTemplate.OfTokenizer"/>), else the SDK's
/// <see cref="ChatTemplate.Simple"/> format, and a reply ends at any of the tokenizer's end-of-sequence tokens unless the
/// defaults name their own. <see cref="ChatOptions"/> map onto <see cref="GenerationOptions"/>
/// (<c>MaxOutputTokens</c>, <c>Temperature</c>, <c>TopK</c>, <c>TopP</c>, <c>Seed</c>, <c>StopSequences</c>), and a
/// <c>ResponseFormat</c> of JSON with a schema constrains the reply token by token to a value of that schema (so
/// <c>GetResponseAsync&lt;T&gt;</c> always gets a <c>T</c>). Safe to call from many threads: calls join the model's
/// request queue and are decoded in batches, and <see cref="GetResponseAsync"/> returns before the reply is generated.
/// </summary>
public sealed class LanguageModelChatClient : IChatClient
{
    readonly TextGenerator _generator;
    readonly GenerationOptions _defaults;
    readonly ChatClientMetadata _metadata;
    readonly ChatTemplate _template;

    /// <summary>Creates the client; <paramref name="modelId"/> names the model in responses.</summary>
    public LanguageModelChatClient(ICausalLanguageModel model, Tokenizer tokenizer, GenerationOptions? defaults = null, string modelId = "modeldsl")
    {
        _generator = new TextGenerator(model, tokenizer);
        _defaults = ChatAnswers.WithEndOfSequence(defaults ?? new GenerationOptions(), tokenizer, model.VocabularySize);
        _template = ChatTemplate.For(tokenizer);
        _metadata = new ChatClientMetadata("ModelDsl", null, modelId);
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = Prompt(messages);
        var generated = await _generator.GenerateAsync(prompt, ToGenerationOptions(options), cancellationToken).ConfigureAwait(false);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, ChatAnswers.Clean(generated.Text)))
        {
            ModelId = _metadata.DefaultModelId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = generated.FinishReason is FinishReason.Length or FinishReason.ContextFull ? ChatFinishReason.Length : ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = generated.PromptTokens,
                OutputTokenCount = generated.TokenIds.Count,
                TotalTokenCount = generated.PromptTokens + generated.TokenIds.Count,
            },
        };
        return response;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = Prompt(messages);
        // Leading whitespace after the template's assistant header is not part of the answer.
        await foreach (var text in ChatAnswers.TrimLeading(_generator.StreamAsync(prompt, ToGenerationOptions(options), cancellationToken), cancellationToken))
            yield return new ChatResponseUpdate(ChatRole.Assistant, text) { ModelId = _metadata.DefaultModelId };
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return _metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        if (serviceType.IsInstanceOfType(_generator.Model)) return _generator.Model;
        return null;
    }

    /// <summary>Nothing to release: the model belongs to the caller.</summary>
    public void Dispose() { }

    // The conversation in the chat template, ending with the header of the assistant's turn; encoded with BOS once.
    string Prompt(IEnumerable<ChatMessage> messages) =>
        _template.Render(messages.Select(m => new ChatTurn(m.Role.Value, m.Text)).ToList(), addGenerationPrompt: true);

    GenerationOptions ToGenerationOptions(ChatOptions? options)
    {
        RefuseUnsupported(options);
        var constraint = ChatAnswers.ConstraintFor(options?.ResponseFormat);
        // A model's template ends turns with an end-of-sequence token; the simple format with the next turn's header.
        // A constrained reply ends when its value is complete, so it needs no turn stops.
        IEnumerable<string> turnStops = constraint is null && ReferenceEquals(_template, ChatTemplate.Simple) ? ChatTemplate.SimpleTurnStops : [];
        var stops = _defaults.StopSequences.Concat(turnStops);
        if (options is null) return _defaults with { StopSequences = stops.ToArray() };
        return _defaults with
        {
            MaxNewTokens = options.MaxOutputTokens ?? _defaults.MaxNewTokens,
            Temperature = options.Temperature ?? _defaults.Temperature,
            TopK = options.TopK ?? _defaults.TopK,
            TopP = options.TopP ?? _defaults.TopP,
            Seed = options.Seed is long seed ? unchecked((ulong)seed) : _defaults.Seed,
            StopSequences = stops.Concat(options.StopSequences ?? []).ToArray(),
            ResponseConstraint = constraint ?? _defaults.ResponseConstraint,
        };
    }

    // Options this client cannot honour are refused by name rather than ignored.
    static void RefuseUnsupported(ChatOptions? options)
    {
        if (options is null) return;
        if (options.Tools is { Count: > 0 })
            throw new NotSupportedException("ChatOptions.Tools is not supported: LanguageModelChatClient does not call tools. Leave Tools empty.");
        if (options.FrequencyPenalty is { } frequency && frequency != 0)
            throw new NotSupportedException($"ChatOptions.FrequencyPenalty = {frequency} is not supported: generation applies no penalties. Leave it unset.");
        if (options.PresencePenalty is { } presence && presence != 0)
            throw new NotSupportedException($"ChatOptions.PresencePenalty = {presence} is not supported: generation applies no penalties. Leave it unset.");
    }
}
