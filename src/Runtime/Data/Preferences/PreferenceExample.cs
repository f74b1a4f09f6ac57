using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Data;

/// <summary>One preference: a prompt and two answers to it, the one people chose and the one they rejected.</summary>
public abstract record PreferenceExample
{
    /// <summary>Creates the example; both answers must be non-empty.</summary>
    protected PreferenceExample(string chosen, string rejected)
    {
        ArgumentException.ThrowIfNullOrEmpty(chosen);
        ArgumentException.ThrowIfNullOrEmpty(rejected);
        Chosen = chosen;
        Rejected = rejected;
    }

    /// <summary>The preferred answer.</summary>
    public string Chosen { get; }

    /// <summary>The answer that was not preferred.</summary>
    public string Rejected { get; }
}

/// <summary>A plain-text prompt with its chosen and rejected completions (the text is concatenated as it is).</summary>
public sealed record TextPreference : PreferenceExample
{
    /// <summary>Creates the example.</summary>
    public TextPreference(string prompt, string chosen, string rejected) : base(chosen, rejected)
    {
        ArgumentException.ThrowIfNullOrEmpty(prompt);
        Prompt = prompt;
    }

    /// <summary>What the model is given.</summary>
    public string Prompt { get; }
}

/// <summary>
/// A conversation that ends where the assistant is to answer, with the chosen and rejected assistant turns. It is
/// rendered with the model's chat template (<see cref="PreferenceTokenizationOptions.ChatTemplate"/>).
/// </summary>
public sealed record ChatPreference : PreferenceExample
{
    /// <summary>Creates the example; the conversation must not end with an assistant turn.</summary>
    public ChatPreference(IReadOnlyList<ExampleMessage> conversation, string chosen, string rejected) : base(chosen, rejected)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (conversation.Count == 0) throw new ArgumentException("The conversation needs at least one turn before the answers.", nameof(conversation));
        if (conversation[^1].Role == "assistant")
            throw new ArgumentException("The conversation ends with an assistant turn; it must end where the chosen or rejected answer begins.", nameof(conversation));
        Conversation = conversation.ToArray();
    }

    /// <summary>The turns before the answer.</summary>
    public IReadOnlyList<ExampleMessage> Conversation { get; }

    /// <inheritdoc/>
    public bool Equals(ChatPreference? other) =>
        other is not null && Chosen == other.Chosen && Rejected == other.Rejected && Conversation.SequenceEqual(other.Conversation);

    /// <inheritdoc/>
    public override int GetHashCode() => Conversation.Aggregate(HashCode.Combine(Chosen, Rejected), (h, m) => HashCode.Combine(h, m));
}
