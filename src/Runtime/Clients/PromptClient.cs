using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Tokenizers;
using ModelDsl.Chat;
using ModelDsl.Generation;
using ModelDsl.Models;
using ModelDsl.Shared;
using ModelDsl.Tokenization;

namespace ModelDsl.Clients;

/// <summary>
/// Base of typed inference clients: holds the model, the tokenizer and default generation options, and gives the
/// generated methods their building blocks — render a template with few-shot examples, fit it to the context
/// window, then generate text, stream it, or choose among labels (an enum member's [Description] or name, a bool's
/// TrueLabel/FalseLabel) by likelihood, which always returns a declared value. Text answers end at the tokenizer's end-of-sequence token (when it has one and the
/// options name none) and come without the whitespace that separates them from the prompt, as the chat client's do.
/// Safe to call from many threads: generation goes through the model's request queue.
/// </summary>
public abstract class PromptClient
{
    readonly Dictionary<string, List<PromptExample>> _examples = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<PromptExample>> _declaredExamples = new(StringComparer.Ordinal);
    // Written only while the generated constructor runs, so concurrent calls read it safely.
    readonly Dictionary<string, int> _smallestAnswerTokens = new(StringComparer.Ordinal);

    /// <summary>The model answering.</summary>
    public ICausalLanguageModel Model { get; }

    /// <summary>The tokenizer used for prompts and answers.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>
    /// Options of every generated method; what a method's <c>[Prompt]</c> declares (<c>MaxNewTokens</c>,
    /// <c>Temperature</c>, <c>TopK</c>, <c>TopP</c>, <c>Stop</c>) overrides them for that method. By default the
    /// attribute's own defaults (greedy, 32 new tokens).
    /// </summary>
    public GenerationOptions DefaultOptions { get; set; }

    /// <summary>The generator over <see cref="Model"/> and <see cref="Tokenizer"/>.</summary>
    protected TextGenerator Generator { get; }

    readonly ChatTemplate? _chatTemplate;

    /// <summary>
    /// The text the model is given for a rendered prompt. For a chat model (its tokenizer ships a chat template) that is
    /// the prompt as the user's turn in the template, ending with the assistant's header — the format the chat client and
    /// chat training use; for any other model, the prompt itself.
    /// </summary>
    protected string ModelPrompt(string prompt) =>
        _chatTemplate is null ? prompt : _chatTemplate.Render([new ChatTurn("user", prompt)], addGenerationPrompt: true);

    /// <summary>Creates the client.</summary>
    protected PromptClient(ICausalLanguageModel model, Tokenizer tokenizer, GenerationOptions? defaultOptions = null)
    {
        Generator = new TextGenerator(model, tokenizer);
        Model = model;
        Tokenizer = tokenizer;
        _chatTemplate = ChatTemplate.OfTokenizer(tokenizer);
        DefaultOptions = defaultOptions ?? new GenerationOptions
        {
            MaxNewTokens = DslDefaults.PromptMaxNewTokens,
            Temperature = DslDefaults.PromptTemperature,
            TopK = DslDefaults.PromptTopK,
            TopP = DslDefaults.PromptTopP,
        };
    }

    /// <summary>
    /// Whether prompts include the examples declared with <c>[Example]</c> (default true). Set it to false for a
    /// fine-tuned model: it was trained on the bare prompt, so few-shot examples only take context. Examples added
    /// with <see cref="AddExample"/> or passed per call are used either way.
    /// </summary>
    public bool UseDeclaredExamples { get; set; } = true;

    /// <summary>Adds a few-shot example to the prompts of method <paramref name="method"/> (examples are used in the order added).</summary>
    public void AddExample(string method, PromptExample example) => Add(_examples, method, example);

    /// <summary>Adds an example declared with <c>[Example]</c> on method <paramref name="method"/> (the generated constructor calls this).</summary>
    protected void AddDeclaredExample(string method, PromptExample example) => Add(_declaredExamples, method, example);

    static void Add(Dictionary<string, List<PromptExample>> examples, string method, PromptExample example)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(example);
        if (!examples.TryGetValue(method, out var list)) examples[method] = list = [];
        list.Add(example);
    }

    /// <summary>
    /// The few-shot examples of method <paramref name="method"/>: its declared ones (unless <see cref="UseDeclaredExamples"/>
    /// is false), then those added with <see cref="AddExample"/>.
    /// </summary>
    public IReadOnlyList<PromptExample> ExamplesFor(string method)
    {
        var declared = UseDeclaredExamples && _declaredExamples.TryGetValue(method, out var d) ? d : [];
        var added = _examples.TryGetValue(method, out var a) ? a : [];
        return added.Count == 0 ? declared : declared.Count == 0 ? added : [.. declared, .. added];
    }

    /// <summary>The prompt for <paramref name="template"/> filled with <paramref name="values"/>, after the few-shot <paramref name="examples"/>.</summary>
    protected static string RenderPrompt(string template, IReadOnlyDictionary<string, object?> values, IReadOnlyList<PromptExample>? examples = null) =>
        PromptTemplate.RenderFewShot(template, values, examples);

    /// <summary>
    /// Renders the prompt with as many of <paramref name="examples"/> as fit: while the prompt plus
    /// <paramref name="reservedTokens"/> exceeds the context window, the oldest example is dropped.
    /// </summary>
    /// <exception cref="PromptTooLongException">The query alone plus <paramref name="reservedTokens"/> does not fit.</exception>
    protected FittedPrompt FitToContext(string template, IReadOnlyDictionary<string, object?> values, IReadOnlyList<PromptExample>? examples, int reservedTokens)
    {
        if (reservedTokens < 0) throw new ArgumentOutOfRangeException(nameof(reservedTokens), $"Reserved tokens cannot be negative, got {reservedTokens}.");
        var window = Model.ContextLength;
        var all = examples ?? [];
        var query = PromptTemplate.Render(template, values);
        var queryTokens = Generator.CountTokens(ModelPrompt(query));
        if (queryTokens + reservedTokens > window)
            throw new PromptTooLongException(queryTokens, reservedTokens, window);
        for (var dropped = 0; dropped <= all.Count; dropped++)
        {
            var kept = all.Skip(dropped).ToArray();
            var text = PromptTemplate.RenderFewShot(template, values, kept);
            var tokens = kept.Length == 0 ? queryTokens : Generator.CountTokens(ModelPrompt(text));
            if (tokens + reservedTokens <= window) return new FittedPrompt(text, tokens, kept.Length, dropped);
        }
        throw new InvalidOperationException("Unreachable: the query alone was checked to fit.");
    }

    /// <summary>Generates the answer to <paramref name="prompt"/> with <paramref name="options"/> (or <see cref="DefaultOptions"/>).</summary>
    protected string GenerateText(string prompt, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatAnswers.Clean(Generator.Generate(ModelPrompt(prompt), Answering(options), cancellationToken).Text);

    /// <summary>Generates the answer to <paramref name="prompt"/> without blocking the caller.</summary>
    protected async Task<string> GenerateTextAsync(string prompt, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatAnswers.Clean((await Generator.GenerateAsync(ModelPrompt(prompt), Answering(options), cancellationToken).ConfigureAwait(false)).Text);

    /// <summary>Streams the answer to <paramref name="prompt"/> as it is generated.</summary>
    protected IAsyncEnumerable<string> StreamText(string prompt, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatAnswers.TrimLeading(Generator.StreamAsync(ModelPrompt(prompt), Answering(options), cancellationToken), cancellationToken);

    /// <summary>
    /// Generates a value of <typeparamref name="T"/>: decoding is constrained to JSON text of <paramref name="schema"/>
    /// (the type's schema, written by the generator), so the answer always deserializes. Enums are read by name.
    /// </summary>
    /// <exception cref="ArgumentException">The schema's shortest value does not fit in the options' new tokens.</exception>
    protected T GenerateJson<T>(string prompt, string schema, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        StructuredAnswers.Read<T>(Generator.Generate(ModelPrompt(prompt), StructuredAnswers.Constrained(Answering(options), schema), cancellationToken));

    /// <summary>Generates a value of <typeparamref name="T"/> without blocking the caller (see <see cref="GenerateJson{T}"/>).</summary>
    protected async Task<T> GenerateJsonAsync<T>(string prompt, string schema, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        StructuredAnswers.Read<T>(await Generator.GenerateAsync(ModelPrompt(prompt), StructuredAnswers.Constrained(Answering(options), schema), cancellationToken).ConfigureAwait(false));

    /// <summary>The index of the label the model finds most likely (see <see cref="ChooseIndex"/>), off the caller's thread.</summary>
    protected Task<int> ChooseIndexAsync(string prompt, IReadOnlyList<string> labels, CancellationToken cancellationToken = default) =>
        Task.Run(() => ChooseIndex(prompt, labels), cancellationToken);

    /// <summary>
    /// Counts the tokens of <paramref name="smallestJson"/>, the smallest JSON answer of <paramref name="method"/> (written
    /// by the generator), and checks that it fits the context window and <paramref name="maxNewTokens"/> (the
    /// <c>[Prompt]</c>'s, or null when it comes from <see cref="DefaultOptions"/> and is checked at each call).
    /// </summary>
    /// <exception cref="AnswerCannotFitException">No complete answer could be generated.</exception>
    protected void CheckSmallestAnswer(string method, string smallestJson, int? maxNewTokens)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(smallestJson);
        var tokens = Tokenizer.EncodeText(smallestJson).Count;
        _smallestAnswerTokens[method] = tokens;
        if (tokens > Model.ContextLength || tokens > maxNewTokens)
            throw new AnswerCannotFitException(method, tokens, maxNewTokens, Model.ContextLength);
    }

    /// <summary>Throws when <paramref name="maxNewTokens"/> cannot hold the smallest JSON answer of <paramref name="method"/>.</summary>
    /// <exception cref="AnswerCannotFitException">No complete answer could be generated.</exception>
    protected void RequireRoomForAnswer(string method, int maxNewTokens)
    {
        if (_smallestAnswerTokens.TryGetValue(method, out var tokens) && tokens > maxNewTokens)
            throw new AnswerCannotFitException(method, tokens, maxNewTokens, Model.ContextLength);
    }

    /// <summary>Chooses a member of <typeparamref name="TEnum"/> off the caller's thread.</summary>
    protected Task<TEnum> ChooseAsync<TEnum>(string prompt, CancellationToken cancellationToken = default) where TEnum : struct, Enum =>
        Task.Run(() => Choose<TEnum>(prompt), cancellationToken);

    /// <summary>Chooses yes or no off the caller's thread.</summary>
    protected Task<bool> ChooseBoolAsync(string prompt, CancellationToken cancellationToken = default) =>
        Task.Run(() => ChooseBool(prompt), cancellationToken);

    /// <summary><paramref name="options"/> (or <see cref="DefaultOptions"/>) ending at the tokenizer's end-of-sequence token.</summary>
    GenerationOptions Answering(GenerationOptions? options) =>
        ChatAnswers.WithEndOfSequence(options ?? DefaultOptions, Tokenizer, Model.VocabularySize);

    /// <summary>
    /// The label of <paramref name="labels"/> the model finds most likely after <paramref name="prompt"/> (highest
    /// summed log-probability; the first declared wins a tie). Each label is scored as the continuation, after a
    /// space unless the prompt ends with whitespace.
    /// </summary>
    protected int ChooseIndex(string prompt, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0) throw new ArgumentException("At least one label is needed to choose from.", nameof(labels));
        var text = ModelPrompt(prompt);
        var separator = PromptTemplate.AnswerSeparator(text);
        var scores = Generator.ScoreContinuations(text, labels.Select(l => separator + l).ToArray());
        var best = 0;
        for (var i = 1; i < scores.Count; i++)
            if (scores[i].LogLikelihood > scores[best].LogLikelihood) best = i;
        return best;
    }

    /// <summary>The member of <typeparamref name="TEnum"/> whose name the model finds most likely after <paramref name="prompt"/>.</summary>
    protected TEnum Choose<TEnum>(string prompt) where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        if (values.Length == 0) throw new ArgumentException($"Enum {typeof(TEnum).Name} declares no members to choose from.", nameof(TEnum));
        return values[ChooseIndex(prompt, LabelsOf<TEnum>())];
    }

    /// <summary>True when the model finds <paramref name="trueLabel"/> more likely than <paramref name="falseLabel"/> after <paramref name="prompt"/>.</summary>
    protected bool ChooseBool(string prompt, string trueLabel = "yes", string falseLabel = "no") =>
        ChooseIndex(prompt, [trueLabel, falseLabel]) == 0;

    /// <summary>
    /// The labels <see cref="Choose{TEnum}"/> scores: the enum's member names, in value order. Generated clients pass
    /// their own labels to <see cref="ChooseIndex"/> instead: each member's <c>[Description]</c>, checked at compile time.
    /// </summary>
    protected static IReadOnlyList<string> LabelsOf<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => v.ToString()).ToArray();

    /// <summary>Tokens the longest of <paramref name="labels"/> takes as an answer (what <see cref="FitToContext"/> must reserve for a choice).</summary>
    protected int LongestLabelTokens(IReadOnlyList<string> labels) =>
        labels.Count == 0 ? 0 : labels.Max(l => Generator.Tokenizer.EncodeText(" " + l).Count);

    /// <summary>Fits the template (with the method's examples) for a text answer of up to the options' new tokens and generates it.</summary>
    protected string GenerateFromTemplate(string method, string template, IReadOnlyDictionary<string, object?> values,
        GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DefaultOptions;
        var prompt = FitToContext(template, values, ExamplesFor(method), options.MaxNewTokens);
        return GenerateText(prompt.Text, options, cancellationToken);
    }

    /// <summary>Fits the template (with the method's examples) for a streamed text answer and streams it.</summary>
    protected IAsyncEnumerable<string> StreamFromTemplate(string method, string template, IReadOnlyDictionary<string, object?> values,
        GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DefaultOptions;
        var prompt = FitToContext(template, values, ExamplesFor(method), options.MaxNewTokens);
        return StreamText(prompt.Text, options, cancellationToken);
    }

    /// <summary>Fits the template (with the method's examples) for the longest enum label and chooses a member.</summary>
    protected TEnum ChooseFromTemplate<TEnum>(string method, string template, IReadOnlyDictionary<string, object?> values) where TEnum : struct, Enum
    {
        var prompt = FitToContext(template, values, ExamplesFor(method), LongestLabelTokens(LabelsOf<TEnum>()));
        return Choose<TEnum>(prompt.Text);
    }

    /// <summary>Fits the template (with the method's examples) for a yes/no answer and chooses.</summary>
    protected bool ChooseBoolFromTemplate(string method, string template, IReadOnlyDictionary<string, object?> values,
        string trueLabel = "yes", string falseLabel = "no")
    {
        var prompt = FitToContext(template, values, ExamplesFor(method), LongestLabelTokens([trueLabel, falseLabel]));
        return ChooseBool(prompt.Text, trueLabel, falseLabel);
    }
}
