using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using ModelDsl.Chat;
using Xunit;

namespace ModelDsl.Tests.Chat;

/// <summary>The <see cref="ChatTemplate"/> API: choosing a template from a tokenizer config, the variables a template
/// sees, input checks, and errors that say where in the template they happened.</summary>
public sealed class ChatTemplateTests
{
    const string Echo = "{% for m in messages %}{{ m.role }}:{{ m.content }};{% endfor %}{{ bos_token }}|{{ add_generation_prompt }}|{{ tools }}|{{ documents }}";

    [Fact]
    public void Renders_messages_special_tokens_and_transformers_defaults()
    {
        var template = new ChatTemplate(Echo, new Dictionary<string, object?> { ["bos_token"] = "<s>" });
        Assert.Equal("user:hi;assistant:yo;<s>|True|None|None", template.Render([ChatTurn.User("hi"), ChatTurn.Assistant("yo")], addGenerationPrompt: true));
    }

    [Fact]
    public void Variables_override_special_tokens_and_are_converted_from_dotnet_and_json()
    {
        var template = new ChatTemplate("{{ bos_token }}|{{ flag }}|{{ n + 1 }}|{{ x }}|{{ obj.a[1] }}|{{ js.k }}|{{ tools[0].name }}", new Dictionary<string, object?> { ["bos_token"] = "<s>" });
        var text = template.Render([], false, new Dictionary<string, object?>
        {
            ["bos_token"] = "<override>",
            ["flag"] = false,
            ["n"] = 41,
            ["x"] = 1.0,
            ["obj"] = new Dictionary<string, object?> { ["a"] = new[] { "zero", "one" } },
            ["js"] = JsonDocument.Parse("""{"k": [1, 2.0]}""").RootElement,
            ["tools"] = new List<object?> { new Dictionary<string, object?> { ["name"] = "f" } },
        });
        Assert.Equal("<override>|False|42|1.0|one|[1, 2.0]|f", text);
    }

    [Fact]
    public void A_turn_without_content_has_no_content_key_and_fields_follow_in_order()
    {
        var template = new ChatTemplate("{{ messages[0] }}|{{ messages[0].content is defined }}|{{ messages[1] | tojson }}");
        var call = new ChatTurn("assistant") { Fields = new Dictionary<string, object?> { ["tool_calls"] = new List<object?>() } };
        var named = new ChatTurn("user", null) { Fields = new Dictionary<string, object?> { ["name"] = "ann", ["n"] = 2 } };
        Assert.Equal("{'role': 'assistant', 'tool_calls': []}|False|{\"role\": \"user\", \"content\": null, \"name\": \"ann\", \"n\": 2}", template.Render([call, named], false));
    }

    [Fact]
    public void Strftime_now_reads_the_clock()
    {
        var template = new ChatTemplate("{{ strftime_now('%d %b %Y') }}") { Clock = () => new DateTime(2025, 2, 3) };
        Assert.Equal("03 Feb 2025", template.Render([], false));
    }

    [Fact]
    public void Syntax_errors_name_line_and_column()
    {
        var error = Assert.Throws<ChatTemplateException>(() => new ChatTemplate("line one\n  {% for m in %}{% endfor %}"));
        Assert.Equal(ChatTemplateErrorKind.Syntax, error.Kind);
        Assert.Equal(2, error.Line);
        Assert.NotNull(error.Column);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void Render_errors_name_the_template_position()
    {
        var error = Assert.Throws<ChatTemplateException>(() => new ChatTemplate("{{ 1 }}\n\n  {{ missing.attribute }}").Render([], false));
        Assert.Equal(ChatTemplateErrorKind.Undefined, error.Kind);
        Assert.Equal(3, error.Line);
        Assert.Contains("'missing' is undefined", error.Message);
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void Raise_exception_gives_exactly_the_template_text()
    {
        var error = Assert.Throws<ChatTemplateException>(() => new ChatTemplate("ok\n{{ raise_exception('Only user and assistant roles: ' ~ messages[0].role) }}").Render([new ChatTurn("robot", "x")], false));
        Assert.Equal(ChatTemplateErrorKind.Raised, error.Kind);
        Assert.Equal("Only user and assistant roles: robot", error.Message);
        Assert.Equal(2, error.Line);
    }

    const string NamedConfig = """
        {"bos_token": {"__type": "AddedToken", "content": "<|begin|>", "lstrip": false}, "eos_token": "<|end|>", "pad_token": null,
         "additional_special_tokens": ["<|a|>", {"content": "<|b|>"}],
         "chat_template": [{"name": "default", "template": "default {{ bos_token }}"}, {"name": "tool_use", "template": "tools {{ eos_token }}"}, {"name": "rag", "template": "rag"}]}
        """;

    [Theory]
    [InlineData(null, false, "default <|begin|>")]
    [InlineData(null, true, "tools <|end|>")]
    [InlineData("rag", false, "rag")]
    [InlineData("default", true, "default <|begin|>")]
    public void Named_templates_are_chosen_as_transformers_chooses(string? name, bool forTools, string expected)
    {
        var template = ChatTemplate.FromTokenizerConfigJson(NamedConfig, name, forTools);
        Assert.Equal(expected, template.Render([], false));
        Assert.Equal(new[] { "additional_special_tokens", "bos_token", "eos_token" }, template.SpecialTokens.Keys.Order());
        Assert.Equal(new List<object?> { "<|a|>", "<|b|>" }, template.SpecialTokens["additional_special_tokens"]);
    }

    [Fact]
    public void A_missing_template_name_lists_the_available_ones()
    {
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplate.FromTokenizerConfigJson(NamedConfig, "chat"));
        Assert.Equal(ChatTemplateErrorKind.InvalidInput, error.Kind);
        Assert.Contains("no chat template named 'chat'", error.Message);
        Assert.Contains("default, rag, tool_use", error.Message);

        var noDefault = Assert.Throws<ChatTemplateException>(() => ChatTemplate.FromTokenizerConfigJson("""{"chat_template": [{"name": "a", "template": "x"}]}"""));
        Assert.Contains("none is named 'default'", noDefault.Message);

        var single = Assert.Throws<ChatTemplateException>(() => ChatTemplate.FromTokenizerConfigJson("""{"chat_template": "x"}""", "tool_use"));
        Assert.Contains("single chat_template", single.Message);

        var broken = Assert.Throws<ChatTemplateException>(() => ChatTemplate.FromTokenizerConfigJson("{not json"));
        Assert.Contains("not valid JSON", broken.Message);
    }

    [Theory]
    [InlineData("messages")]
    [InlineData("add_generation_prompt")]
    public void Variables_the_renderer_sets_are_refused(string name)
    {
        var error = Assert.Throws<ChatTemplateException>(() => new ChatTemplate("x").Render([], false, new Dictionary<string, object?> { [name] = 1 }));
        Assert.Equal(ChatTemplateErrorKind.InvalidInput, error.Kind);
        Assert.Contains($"'{name}'", error.Message);
    }

    [Fact]
    public void Malformed_inputs_are_refused_with_what_would_be_right()
    {
        var template = new ChatTemplate("x");
        var tools = Assert.Throws<ChatTemplateException>(() => template.Render([], false, new Dictionary<string, object?> { ["tools"] = new List<object?> { "not a schema" } }));
        Assert.Contains("list of JSON schemas", tools.Message);

        var documents = Assert.Throws<ChatTemplateException>(() => template.Render([], false, new Dictionary<string, object?> { ["documents"] = "text" }));
        Assert.Contains("'title' and 'text'", documents.Message);

        var field = Assert.Throws<ChatTemplateException>(() => template.Render([new ChatTurn("user", "x") { Fields = new Dictionary<string, object?> { ["role"] = "system" } }], false));
        Assert.Contains("must not contain 'role'", field.Message);

        var type = Assert.Throws<ChatTemplateException>(() => template.Render([], false, new Dictionary<string, object?> { ["when"] = DateTime.UnixEpoch }));
        Assert.Equal(ChatTemplateErrorKind.InvalidInput, type.Kind);
        Assert.Contains("System.DateTime", type.Message);
    }

    [Fact]
    public void Rendering_is_safe_from_several_threads()
    {
        var template = new ChatTemplate("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + m.content | length %}{% endfor %}{{ ns.n }}");
        var results = Enumerable.Range(0, 64).AsParallel().Select(i => template.Render([ChatTurn.User(new string('x', i))], false)).ToList();
        Assert.Equal(Enumerable.Range(0, 64).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), results);
    }

    [Fact]
    public void Spans_of_a_template_without_assistant_turns_match_its_rendering()
    {
        var template = new ChatTemplate("{% for m in messages %}<{{ m.role }}>{{ m.content }}</{{ m.role }}>{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}");
        var rendered = template.RenderWithAssistantSpans([ChatTurn.User("q"), ChatTurn.Assistant("a1"), ChatTurn.User("q2"), ChatTurn.Assistant("a2")]);
        Assert.Equal("<user>q</user><assistant>a1</assistant><user>q2</user><assistant>a2</assistant>", rendered.Text);
        Assert.Equal(new[] { "a1</assistant>", "a2</assistant>" }, rendered.AssistantSpans.Select(s => s.Of(rendered.Text)));
    }
}
