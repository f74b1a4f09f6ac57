using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.Chat;
using ModelDsl.Tokenization;

namespace ModelDsl.Data;

/// <summary>The tokens of a rendered conversation, each marked as a target when it is assistant output.</summary>
internal static class ChatTokens
{
    public static IEnumerable<(int Id, bool IsTarget)> Encode(RenderedChat chat, Tokenizer tokenizer)
    {
        if (tokenizer is HuggingFaceTokenizer huggingFace)
        {
            // As transformers' return_assistant_tokens_mask: the whole text encoded once, and a token is a target when
            // its characters overlap an assistant span.
            foreach (var token in huggingFace.EncodeToTokens(chat.Text, out _))
            {
                int start = token.Offset.Start.Value, end = token.Offset.End.Value;
                yield return (token.Id, chat.AssistantSpans.Any(s => start < s.End && end > s.Start));
            }
            yield break;
        }
        // Other tokenizers report offsets into their normalized text, so the pieces between span edges are encoded apart.
        var at = 0;
        foreach (var span in chat.AssistantSpans)
        {
            foreach (var id in tokenizer.EncodeText(chat.Text[at..span.Start])) yield return (id, false);
            foreach (var id in tokenizer.EncodeText(span.Of(chat.Text))) yield return (id, true);
            at = span.End;
        }
        foreach (var id in tokenizer.EncodeText(chat.Text[at..])) yield return (id, false);
    }
}
