// LoRA in one screen: declare a GPT-2 and a LoRA setup, train only the adapter on a prompt/completion task,
// save it in PEFT's layout, and merge it into the base weights for inference at no extra cost.
// Usage: dotnet run --project examples/LoraFinetune [-- steps]
using System;
using System.IO;
using System.Linq;
using ModelDsl;
using ModelDsl.Data;
using ModelDsl.IO.Peft;
using ModelDsl.Tokenization;
using ModelDsl.Training;
using static TorchSharp.torch;

var steps = args.Length > 0 ? int.Parse(args[0]) : 60;
manual_seed(1);
var tokenizer = Tokenizers.Gpt2();
string[] colours = ["red", "green", "blue", "black", "white"];
// The task: name the colour of a numbered box (a fixed random mapping the model must learn).
var task = new Dataset(Enumerable.Range(0, 40).Select(i => new PromptCompletionExample($"Box {i} is", " " + colours[i * 7 % 5])));
var data = task.Tokenize(tokenizer, new TokenizationOptions { MaxLength = 16 });

using var setup = new BoxLora(new BoxGpt());
Console.WriteLine($"{setup.Summary()}  (constant: {BoxLora.TrainableParameterCount:N0} of {BoxLora.TotalParameterCount:N0})");
using var trainer = new Trainer(setup, new TrainerOptions { MaxSteps = steps, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 5 }, Console.Out);
var before = trainer.Evaluate(data);
trainer.Fit(data);
var after = trainer.Evaluate(data);
Console.WriteLine($"task loss {before.Loss:F3} → {after.Loss:F3}, token accuracy {before.TokenAccuracy:P0} → {after.TokenAccuracy:P0}");

var directory = Path.Combine(Path.GetTempPath(), "modeldsl-lora-example");
setup.SaveAdapter(directory);   // adapter_config.json + adapter_model.safetensors, as Hugging Face PEFT writes them
Console.WriteLine($"adapter saved to {directory}: {string.Join(", ", Directory.GetFiles(directory).Select(Path.GetFileName))}");

setup.eval();
using var ids = tensor(tokenizer.EncodeToIds("Box 3 is").Select(i => (long)i).ToArray()).unsqueeze(0);
using var _ = no_grad();
using var unmerged = setup.Forward(ids);
setup.Merge();                  // W += B·A·alpha/r: the adapter now costs nothing at inference
using var merged = setup.Forward(ids);
Console.WriteLine($"merged vs unmerged: max logit difference {(merged - unmerged).abs().max().item<float>():E1}");
return after.Loss < before.Loss ? 0 : 1;

[Gpt2(Layers = 2, Dim = 32, Heads = 2, Vocab = 50257, Context = 32)]
public partial class BoxGpt;

[FineTune<BoxGpt>]
[LoRA(8, Alpha = 16, Targets = ["c_attn", "mlp.c_fc"])]
public partial class BoxLora;
