using System.IO;
using ModelDsl.Chat;
using ModelDsl.Tests.IO;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Chat;

/// <summary>
/// Chat templates saved as files beside <c>tokenizer_config.json</c> (transformers ≥ 4.47 writes <c>chat_template.jinja</c>
/// and <c>additional_chat_templates/NAME.jinja</c>): they are read, and win over the config's inline template.
/// </summary>
public sealed class ChatTemplateFilesTests
{
    const string InlineTemplate = "{% for m in messages %}inline:{{ m['content'] }}{% endfor %}";
    const string FileTemplate = "{% for m in messages %}file:{{ m['content'] }}{{ eos_token }}{% endfor %}";
    const string ToolTemplate = "{% for m in messages %}tools:{{ m['content'] }}{% endfor %}";

    static string Config(TempDirectory directory, bool inline)
    {
        var path = Path.Combine(directory.Path, "tokenizer_config.json");
        File.WriteAllText(path, inline
            ? $$"""{"eos_token": "</s>", "chat_template": "{{InlineTemplate.Replace("\"", "\\\"")}}"}"""
            : """{"eos_token": "</s>"}""");
        return path;
    }

    static string Rendered(ChatTemplate template) => template.Render([new ChatTurn("user", "hi")], addGenerationPrompt: false);

    [Fact]
    public void The_jinja_file_wins_over_the_inline_template_in_both_readers()
    {
        using var directory = new TempDirectory();
        var config = Config(directory, inline: true);
        Assert.Equal("inline:hi", Rendered(ChatTemplate.FromTokenizerConfig(config)));

        File.WriteAllText(Path.Combine(directory.Path, "chat_template.jinja"), FileTemplate);
        Assert.Equal("file:hi</s>", Rendered(ChatTemplate.FromTokenizerConfig(config)));
        var loaded = TokenizerConfig.Load(config);
        Assert.Equal(FileTemplate, loaded.ChatTemplate);
        Assert.Equal(FileTemplate, loaded.ChatTemplates["default"]);
    }

    [Fact]
    public void A_config_without_an_inline_template_takes_the_file_and_named_files_are_chosen_as_named_templates()
    {
        using var directory = new TempDirectory();
        var config = Config(directory, inline: false);
        Assert.Contains("has no chat_template", Assert.Throws<ChatTemplateException>(() => ChatTemplate.FromTokenizerConfig(config)).Message);

        File.WriteAllText(Path.Combine(directory.Path, "chat_template.jinja"), FileTemplate);
        Directory.CreateDirectory(Path.Combine(directory.Path, "additional_chat_templates"));
        File.WriteAllText(Path.Combine(directory.Path, "additional_chat_templates", "tool_use.jinja"), ToolTemplate);

        Assert.Equal("file:hi</s>", Rendered(ChatTemplate.FromTokenizerConfig(config)));
        Assert.Equal("tools:hi", Rendered(ChatTemplate.FromTokenizerConfig(config, forTools: true)));
        Assert.Equal("tools:hi", Rendered(ChatTemplate.FromTokenizerConfig(config, templateName: "tool_use")));
        var loaded = TokenizerConfig.Load(config);
        Assert.Equal(FileTemplate, loaded.ChatTemplate);
        Assert.Equal(ToolTemplate, loaded.ChatTemplates["tool_use"]);
    }
}
