// Loads a Hugging Face checkpoint directory (GPT-2, Llama, Mistral, Qwen2, Qwen3, Phi-3, Gemma) and continues a prompt greedily.
// Usage: dotnet run --project examples/HfCheckpoint [-- <checkpoint directory> ["prompt"]]
// Without a directory it declares a tiny GPT-2, saves it in the Hugging Face layout, and loads that back.
using ModelDsl.IO;
using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using HfCheckpointExample;
using Microsoft.ML.Tokenizers;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

string prompt = args.Length > 1 ? args[1] : "The meaning of life is";

if (args.Length > 0)
{
    var directory = args[0];
    var modelType = ReadModelType(directory);
    using var model = PretrainedCheckpoint.FromPretrained(directory);   // the family its config.json names
    Console.WriteLine($"loaded {modelType} from {directory}");
    // GPT-2 checkpoints often ship without tokenizer files; the GPT-2 vocabulary comes with the tokenizer package.
    bool hasTokenizerFiles = File.Exists(Path.Combine(directory, "tokenizer.model")) || File.Exists(Path.Combine(directory, "vocab.json"));
    var tokenizer = !hasTokenizerFiles && modelType == "gpt2" ? Tokenizers.Gpt2() : Tokenizers.FromPretrained(directory);
    Console.WriteLine(Continue(model, tokenizer, prompt, 30));
    return;
}

manual_seed(0);
var saved = Path.Combine(Path.GetTempPath(), "modeldsl-hf-checkpoint-example");
using (var fresh = new TinyGpt2())
{
    fresh.SavePretrained(saved);
    Console.WriteLine($"saved a tiny GPT-2 ({TinyGpt2.ParameterCount:N0} parameters) to {saved}:");
    foreach (var file in Directory.GetFiles(saved).OrderBy(f => f)) Console.WriteLine($"  {Path.GetFileName(file)}  {new FileInfo(file).Length:N0} bytes");

    using var loaded = TinyGpt2.FromPretrained(saved);
    using var ids = tensor(new long[] { 464, 3616, 286, 1204, 318 }).unsqueeze(0);
    using var before = fresh.Forward(ids);
    using var after = loaded.Forward(ids);
    Console.WriteLine($"reloaded: logits identical = {before.allclose(after, rtol: 0, atol: 0)}");
    Console.WriteLine("untrained continuation: " + Continue(loaded, Tokenizers.Gpt2(), prompt, 8));
}

static string Continue(ICausalLanguageModel model, Tokenizer tokenizer, string text, int newTokens)
{
    var ids = tokenizer.EncodeToIds(text).Select(i => (long)i).ToList();
    using var _ = no_grad();
    for (int i = 0; i < newTokens && ids.Count < model.ContextLength; i++)
    {
        using var scope = NewDisposeScope();
        var logits = model.Forward(tensor(ids.ToArray()).unsqueeze(0));   // (1, T, V)
        ids.Add(logits[0, -1].argmax().item<long>());
    }
    return tokenizer.Decode(ids.Select(i => (int)i));
}

static string ReadModelType(string directory)
{
    var path = Path.Combine(directory, "config.json");
    if (!File.Exists(path)) throw new FileNotFoundException($"No config.json in {directory}; pass a Hugging Face checkpoint directory.", path);
    using var document = JsonDocument.Parse(File.ReadAllText(path));
    return document.RootElement.TryGetProperty("model_type", out var type) ? type.GetString() ?? "" : "";
}

namespace HfCheckpointExample
{
    /// <summary>A tiny GPT-2 with the real vocabulary, so the GPT-2 tokenizer applies.</summary>
    [ModelDsl.Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 50257, Context = 128)]
    public partial class TinyGpt2;
}
