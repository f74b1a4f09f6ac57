using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using ModelDsl.Chat;
using Xunit;

namespace ModelDsl.Tests.Chat;

/// <summary>
/// Assistant spans ("loss on assistant turns only"): on real templates each span is exactly the assistant's content
/// wrapped in what the template writes around a reply, learned here from a one-turn probe; templates with
/// <c>{% generation %}</c> blocks give the same spans as transformers' tracker.
/// </summary>
public sealed class AssistantSpanTests(AssistantSpanTests.Reference reference) : IClassFixture<AssistantSpanTests.Reference>
{
    const string ChatMlWithGeneration =
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{% if m.role == 'assistant' %}{% generation %}{{ m.content | trim }}<|im_end|>{% endgeneration %}"
        + "{% else %}{{ m.content }}<|im_end|>{% endif %}\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    const string GenerationInLoopWithMacro =
        "{%- macro header(role) %}[{{ role | upper }}]{% endmacro -%}\n"
        + "{%- for m in messages %}\n  {{- header(m.role) }}\n  {%- if m.role == 'assistant' %}\n    {%- generation %}{{ m.content }}{% if not loop.last %} END{% endif %}{% endgeneration %}\n"
        + "  {%- else %}{{ m.content }}{% endif %}\n{% endfor %}";

    static readonly (string Name, string Template)[] GenerationTemplates =
    [
        ("chatml with generation", ChatMlWithGeneration),
        ("generation in loop with macro", GenerationInLoopWithMacro),
    ];

    static readonly ChatTurn[] Dialogue =
    [
        ChatTurn.System("Be kind."), ChatTurn.User("Hi 👋"), ChatTurn.Assistant("Hello 😀 friend"), ChatTurn.User("Bye"), ChatTurn.Assistant("  Bye!  "),
    ];

    /// <summary>transformers' generation indices for the generation templates, from one Python call.</summary>
    public sealed class Reference
    {
        public Reference()
        {
            var cases = GenerationTemplates.SelectMany(t => new[] { false, true }.Select(agp => new JsonObject
            {
                ["template"] = t.Template,
                ["messages"] = Conversations.ToJson(Dialogue),
                ["add_generation_prompt"] = agp,
                ["spans"] = true,
            }));
            Results = JinjaReference.Render(cases);
        }

        public IReadOnlyList<JsonObject> Results { get; }
    }

    [Fact]
    public void Generation_blocks_give_transformers_spans()
    {
        var index = 0;
        foreach (var (name, source) in GenerationTemplates)
            foreach (var agp in new[] { false, true })
            {
                var expected = reference.Results[index++];
                Assert.True(expected["ok"]!.GetValue<bool>(), $"{name}: {expected}");
                var text = expected["text"]!.GetValue<string>();
                var template = new ChatTemplate(source);
                Assert.True(template.HasGenerationBlocks);
                var rendered = template.RenderWithAssistantSpans(Dialogue, agp);
                Assert.Equal(text, rendered.Text);
                // Python counts code points; convert its indexes to .NET's UTF-16 offsets in the same text.
                var expectedSpans = expected["spans"]!.AsArray()
                    .Select(s => new CharSpan(Utf16Offset(text, s![0]!.GetValue<int>()), Utf16Offset(text, s[1]!.GetValue<int>()))).ToList();
                Assert.Equal(expectedSpans, rendered.AssistantSpans);
                Assert.Equal(2, rendered.AssistantSpans.Count);
                Assert.StartsWith("Hello 😀 friend", rendered.AssistantSpans[0].Of(rendered.Text));
            }
    }

    static int Utf16Offset(string text, int codePoints)
    {
        var offset = 0;
        for (var i = 0; i < codePoints; i++) offset += char.IsHighSurrogate(text[offset]) ? 2 : 1;
        return offset;
    }

    public static TheoryData<string, string> PrefixStableCases => new()
    {
        { "llama3_2", "multi turn" }, { "llama3_2", "unicode and emoji" }, { "llama3_1", "multi turn" }, { "llama3", "reasoning field" },
        { "qwen2_5", "multi turn" }, { "qwen2_5", "unicode and emoji" }, { "gemma3", "multi turn" },
        { "gemma3", "unicode and emoji" }, { "mistral_nemo", "multi turn without system" }, { "deepseek_v3", "multi turn" }, { "deepseek_v3", "unicode and emoji" },
    };

    [Theory]
    [MemberData(nameof(PrefixStableCases))]
    public void Prefix_spans_cover_exactly_each_assistant_reply(string model, string conversation)
    {
        var template = RealTemplates.Load(model);
        var turns = Conversations.All.Single(c => c.Name == conversation).Turns;
        var (lead, tail) = ReplyWrapping(template);

        var rendered = template.RenderWithAssistantSpans(turns);

        Assert.Equal(template.Render(turns, addGenerationPrompt: false), rendered.Text);
        var replies = turns.Where(t => t.Role == "assistant").ToList();
        Assert.Equal(replies.Count, rendered.AssistantSpans.Count);
        for (var i = 0; i < replies.Count; i++)
            Assert.Equal(lead + (string)replies[i].Content! + tail, rendered.AssistantSpans[i].Of(rendered.Text));
        // Spans are ordered, disjoint, and everything else in the text is not assistant output.
        Assert.True(rendered.AssistantSpans.Zip(rendered.AssistantSpans.Skip(1)).All(p => p.First.End <= p.Second.Start));
        foreach (var user in turns.Where(t => t.Role == "user"))
            Assert.DoesNotContain(rendered.AssistantSpans, span => span.Of(rendered.Text).Contains((string)user.Content!, StringComparison.Ordinal));
    }

    /// <summary>What the template writes around a reply, found from a one-turn probe: the text between the generation
    /// prompt and the reply, and the text after the reply (the end-of-turn marker).</summary>
    static (string Lead, string Tail) ReplyWrapping(ChatTemplate template)
    {
        const string marker = "MARKER-7f3a";
        ChatTurn[] question = [ChatTurn.User("probe question")];
        var prompt = template.Render(question, addGenerationPrompt: true);
        var answered = template.Render([.. question, ChatTurn.Assistant(marker)], addGenerationPrompt: false);
        Assert.StartsWith(prompt, answered, StringComparison.Ordinal);
        var at = answered.IndexOf(marker, StringComparison.Ordinal);
        return (answered[prompt.Length..at], answered[(at + marker.Length)..]);
    }

    public static TheoryData<string, string, int> NotPrefixStableCases => new()
    {
        // Qwen3 writes an empty <think> block only before the latest reply, so an earlier reply renders differently
        // once a later turn follows.
        { "qwen3", "multi turn", 2 },
        // Llama 3 always ends with the assistant header, even without add_generation_prompt.
        { "llama3", "multi turn without system", 1 },
        // Mistral Nemo moves the system prompt into the last user turn.
        { "mistral_nemo", "multi turn", 2 },
    };

    [Theory]
    [MemberData(nameof(NotPrefixStableCases))]
    public void Templates_that_rewrite_earlier_turns_are_refused_as_not_prefix_stable(string model, string conversation, int firstBadMessage)
    {
        var template = RealTemplates.Load(model);
        var turns = Conversations.All.Single(c => c.Name == conversation).Turns;
        var error = Assert.Throws<ChatTemplateException>(() => template.RenderWithAssistantSpans(turns));
        Assert.Equal(ChatTemplateErrorKind.NotPrefixStable, error.Kind);
        Assert.Contains($"assistant message {firstBadMessage}", error.Message);
        Assert.Contains("not prefix-stable", error.Message);
    }

    [Fact]
    public void Qwen3_single_reply_span_includes_the_empty_think_block_it_writes()
    {
        var template = RealTemplates.Load("qwen3");
        var rendered = template.RenderWithAssistantSpans([ChatTurn.User("2+2?"), ChatTurn.Assistant("4")]);
        Assert.Equal("<think>\n\n</think>\n\n4<|im_end|>\n", Assert.Single(rendered.AssistantSpans).Of(rendered.Text));

        var thinkingOff = template.RenderWithAssistantSpans([ChatTurn.User("2+2?"), ChatTurn.Assistant("4")], variables: new Dictionary<string, object?> { ["enable_thinking"] = false });
        Assert.Equal("4<|im_end|>\n", Assert.Single(thinkingOff.AssistantSpans).Of(thinkingOff.Text));
    }

    [Fact]
    public void Generation_inside_a_set_block_is_refused_for_spans_but_renders()
    {
        var template = new ChatTemplate("{% set x %}{% generation %}{{ messages[0].content }}{% endgeneration %}{% endset %}[{{ x }}]");
        Assert.Equal("[hi]", template.Render([ChatTurn.Assistant("hi")], false));
        var error = Assert.Throws<ChatTemplateException>(() => template.RenderWithAssistantSpans([ChatTurn.Assistant("hi")]));
        Assert.Equal(ChatTemplateErrorKind.Unsupported, error.Kind);
        Assert.Contains("generation", error.Message);
    }

    [Fact]
    public void A_conversation_without_assistant_turns_has_no_spans()
    {
        var rendered = RealTemplates.Load("qwen2_5").RenderWithAssistantSpans([ChatTurn.User("only a question")], addGenerationPrompt: true);
        Assert.Empty(rendered.AssistantSpans);
        Assert.EndsWith("<|im_start|>assistant\n", rendered.Text);
    }
}
