namespace ModelDsl.Clients;

/// <summary>A rendered prompt that fits the context window, and how many few-shot examples it kept.</summary>
/// <param name="Text">The prompt text.</param>
/// <param name="Tokens">Tokens in <paramref name="Text"/>.</param>
/// <param name="ExamplesUsed">Examples included (the most recent ones).</param>
/// <param name="ExamplesDropped">Examples left out, oldest first, to make room.</param>
public sealed record FittedPrompt(string Text, int Tokens, int ExamplesUsed, int ExamplesDropped);
