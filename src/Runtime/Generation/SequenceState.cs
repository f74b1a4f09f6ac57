using System.Collections.Generic;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Generation;

/// <summary>What one row has generated so far, and whether an end-of-sequence token or a stop sequence ended it.</summary>
internal sealed class SequenceState
{
    readonly Tokenizer _tokenizer;
    readonly GenerationOptions _options;
    readonly List<int> _tokens = [];
    string? _text;

    public SequenceState(Tokenizer tokenizer, GenerationOptions options)
    {
        _tokenizer = tokenizer;
        _options = options;
    }

    /// <summary>Generated tokens (without the end-of-sequence token).</summary>
    public IReadOnlyList<int> Tokens => _tokens;

    /// <summary>Decoded output, cut before the first stop sequence once one appeared.</summary>
    /// <remarks>Decoded when asked for: without stop sequences nothing reads it before the row ends.</remarks>
    public string Text => _text ??= _tokenizer.Decode(_tokens) ?? "";

    /// <summary>Why the row ended; null while it is still going.</summary>
    public FinishReason? Finish { get; private set; }

    /// <summary>Takes the row's next token unless the row has ended; returns whether the row has ended now.</summary>
    public bool Accept(int token)
    {
        if (Finish is not null) return true;
        if (_options.IsEndOfSequence(token))
        {
            Finish = FinishReason.EndOfSequence;
            return true;
        }
        _tokens.Add(token);
        _text = null;
        if (_options.StopSequences.Count == 0) return false;
        var stop = StopSequences.FirstIndex(Text, _options.StopSequences);
        if (stop < 0) return false;
        _text = Text[..stop];
        Finish = FinishReason.StopSequence;
        return true;
    }

    /// <summary>Ends the row for the reason given unless it has ended already.</summary>
    public void End(FinishReason reason) => Finish ??= reason;

    /// <summary>The final result.</summary>
    public GeneratedText ToResult(int promptTokens) => new(Text, _tokens.ToArray(), promptTokens, Finish ?? FinishReason.Length);
}
