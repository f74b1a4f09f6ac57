// Prompt tuning in one screen: the base model stays frozen and only a few "virtual token" embeddings, put before
// every input, are trained. The soft prompt starts from the embeddings of a text and is saved in PEFT's layout.
// Usage: dotnet run --project examples/PromptTuning [-- steps]
using System;
using System.IO;
using System.Linq;
using ModelDsl;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Peft;
using ModelDsl.Tokenization;
using ModelDsl.Training;
using static TorchSharp.torch;

var steps = args.Length > 0 ? int.Parse(args[0]) : 60;
manual_seed(2);
var tokenizer = Tokenizers.Gpt2();
// The task: say whether a number is even or odd.
var task = new Dataset(Enumerable.Range(0, 64).Select(i => new PromptCompletionExample($"{i} is", i % 2 == 0 ? " even" : " odd")));
var data = task.Tokenize(tokenizer, new TokenizationOptions { MaxLength = 16 });

var baseDir = Path.Combine(Path.GetTempPath(), "modeldsl-prompt-example", "base");
new ParityGpt().SavePretrained(baseDir);                       // stands in for a pretrained checkpoint
using var setup = new ParityPrompt(ParityGpt.FromPretrained(baseDir), tokenizer);   // InitText needs the tokenizer
Console.WriteLine($"{setup.Summary()}; the model now sees {setup.ContextLength} of its {ParityGpt.FromPretrained(baseDir).ContextLength} positions");
using var trainer = new Trainer(setup, new TrainerOptions { MaxSteps = steps, BatchSize = 16, LearningRate = 3e-2, WarmupSteps = 5 }, Console.Out);
var before = trainer.Evaluate(data);
trainer.Fit(data);
var after = trainer.Evaluate(data);
Console.WriteLine($"task loss {before.Loss:F3} → {after.Loss:F3}");

var adapterDir = Path.Combine(Path.GetTempPath(), "modeldsl-prompt-example", "adapter");
setup.SaveAdapter(adapterDir);                                  // prompt_embeddings, as PEFT saves them
using var reloaded = new ParityPrompt(ParityGpt.FromPretrained(baseDir), tokenizer);
reloaded.LoadAdapter(adapterDir);
setup.eval(); reloaded.eval();
using var ids = tensor(tokenizer.EncodeToIds("7 is").Select(i => (long)i).ToArray()).unsqueeze(0);
using var _ = no_grad();
using var a = setup.Forward(ids);
using var b = reloaded.Forward(ids);
Console.WriteLine($"reloaded adapter: max logit difference {(a - b).abs().max().item<float>():E1} ({new FileInfo(Path.Combine(adapterDir, PeftAdapterFiles.WeightsFileName)).Length:N0} bytes)");
return after.Loss < before.Loss ? 0 : 1;

[Gpt2(Layers = 2, Dim = 32, Heads = 2, Vocab = 50257, Context = 32)]
public partial class ParityGpt;

[FineTune<ParityGpt>]
[SoftPrompt(8, InitText = "Is the number even or odd?")]
public partial class ParityPrompt;
