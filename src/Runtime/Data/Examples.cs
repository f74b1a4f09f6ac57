using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Data;

/// <summary>One training example, in one of the three shapes a dataset row can take.</summary>
public abstract record Example;

/// <summary>Plain text for pretraining: every token is a target.</summary>
/// <param name="Text">The text.</param>
public sealed record TextExample(string Text) : Example;

/// <summary>A prompt and its completion: only the completion's tokens are targets.</summary>
/// <param name="Prompt">What the model is given.</param>
/// <param name="Completion">What the model should produce.</param>
public sealed record PromptCompletionExample(string Prompt, string Completion) : Example;

/// <summary>One turn of a training conversation (named apart from Microsoft.Extensions.AI's <c>ChatMessage</c>, which clients use).</summary>
/// <param name="Role">Who speaks: <c>system</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">What is said.</param>
public sealed record ExampleMessage(string Role, string Content);

/// <summary>A conversation: the assistant's turns are the targets.</summary>
public sealed record ChatExample : Example
{
    /// <summary>Creates the example.</summary>
    public ChatExample(IReadOnlyList<ExampleMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Messages = messages.ToArray();
    }

    /// <summary>The turns, in order.</summary>
    public IReadOnlyList<ExampleMessage> Messages { get; }

    // Records compare lists by reference; two conversations are equal when their turns are.
    /// <inheritdoc/>
    public bool Equals(ChatExample? other) => other is not null && Messages.SequenceEqual(other.Messages);

    /// <inheritdoc/>
    public override int GetHashCode() => Messages.Aggregate(17, (h, m) => HashCode.Combine(h, m));

    // Shows the turns rather than the array's type name in messages and test failures.
    /// <inheritdoc/>
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Messages = [").AppendJoin(", ", Messages).Append(']');
        return true;
    }
}
