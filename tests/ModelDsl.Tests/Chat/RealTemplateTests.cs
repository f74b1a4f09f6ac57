using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using ModelDsl.Chat;
using Xunit;

namespace ModelDsl.Tests.Chat;

/// <summary>
/// The chat templates of real models (Llama 3/3.1/3.2, Qwen 2.5/3, Gemma 3, Mistral Nemo, DeepSeek V3, as their npm
/// packages ship them) render every test conversation byte for byte as jinja2 renders them in transformers'
/// environment, including the conversations a template rejects with <c>raise_exception</c>.
/// </summary>
public sealed class RealTemplateTests(RealTemplateTests.Reference reference) : IClassFixture<RealTemplateTests.Reference>
{
    /// <summary>jinja2's results for every case, in one Python call.</summary>
    public sealed class Reference
    {
        public Reference()
        {
            Templates = RealTemplates.Models.ToDictionary(m => m, RealTemplates.Load);
            var results = JinjaReference.Render(RealTemplates.Cases.Select(c => RealTemplates.ToReference(c, Templates[c.Model].Source)));
            Results = RealTemplates.Cases.Select((c, i) => (c.Id, Result: results[i])).ToDictionary(x => x.Id, x => x.Result);
        }

        public IReadOnlyDictionary<string, ChatTemplate> Templates { get; }
        public IReadOnlyDictionary<string, JsonObject> Results { get; }
    }

    public static TheoryData<string> CaseIds => new(RealTemplates.Cases.Select(c => c.Id));

    public static TheoryData<string> Models => new(RealTemplates.Models);

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Renders_like_transformers(string id)
    {
        var c = RealTemplates.Cases.Single(x => x.Id == id);
        var template = reference.Templates[c.Model];
        var ours = Outcome.Of(() => template.Render(c.Turns, c.AddGenerationPrompt, c.Variables));
        ReferenceComparison.AssertSame(reference.Results[id], ours, id);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_template_renders_most_conversations_and_some_raise(string model)
    {
        // Guards the comparison above against comparing only failures: every model renders real conversations.
        var outcomes = RealTemplates.Cases.Where(c => c.Model == model).Select(c => reference.Results[c.Id]["ok"]!.GetValue<bool>()).ToList();
        Assert.True(outcomes.Count(ok => ok) >= outcomes.Count / 2, $"{model}: only {outcomes.Count(ok => ok)} of {outcomes.Count} cases rendered in jinja2");
    }

    [Fact]
    public void Templates_that_validate_conversations_raise_their_own_message()
    {
        var gemma = Assert.Throws<ChatTemplateException>(() => reference.Templates["gemma3"].Render(
            [ChatTurn.User("one"), ChatTurn.User("two")], addGenerationPrompt: false));
        Assert.Equal(ChatTemplateErrorKind.Raised, gemma.Kind);
        Assert.Equal("Conversation roles must alternate user/assistant/user/assistant/...", gemma.Message);
        Assert.NotNull(gemma.Line);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Special_tokens_come_from_the_config(string model)
    {
        var expected = RealTemplates.SpecialTokensOf(model);
        var template = reference.Templates[model];
        Assert.Equal(expected.Select(p => p.Key).Order(), template.SpecialTokens.Keys.Order());
        foreach (var (name, value) in expected)
            Assert.Equal(value!.ToJsonString(), System.Text.Json.JsonSerializer.Serialize(template.SpecialTokens[name]));
    }

    [Theory]
    [InlineData("llama2")]
    [InlineData("gemma")]
    [InlineData("gemma2")]
    public void Base_model_configs_without_a_template_are_refused_clearly(string model)
    {
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplate.FromTokenizerConfig(RealTemplates.ConfigPath(model)));
        Assert.Equal(ChatTemplateErrorKind.InvalidInput, error.Kind);
        Assert.Contains("has no chat_template", error.Message);
    }
}
