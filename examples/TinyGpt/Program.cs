// Trains a tiny GPT, declared with ModelDsl attributes, on stories this program generates, then samples.
// Usage: dotnet run --project examples/TinyGpt [-- steps]
using System;
using System.Diagnostics;
using System.Linq;
using ModelDsl.Layers;
using TinyGptExample;
using TorchSharp;
using static TorchSharp.torch;

int steps = args.Length > 0 && int.TryParse(args[0], out var requested) ? requested : 250;
const int batchSize = 16;
manual_seed(42);
set_num_threads(Math.Max(1, Environment.ProcessorCount));

var text = StoryCorpus.Generate(sentences: 4000, seed: 1);
var vocabulary = new CharacterVocabulary(text, TinyGpt.Vocab);
using var data = tensor(vocabulary.Encode(text));
Console.WriteLine($"corpus: {text.Length:N0} characters, {vocabulary.Count} distinct; model: {TinyGpt.ParameterCount:N0} parameters");

using var model = new TinyGpt();
// GPT-2 initialises embeddings N(0, 0.02); PyTorch's default N(0, 1) would make the tied head's first logits huge.
using (no_grad())
{
    nn.init.normal_(model.Wte.weight, std: 0.02);
    nn.init.normal_(model.Wpe.weight, std: 0.02);
}
using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3, weight_decay: 0.01);
var random = new Random(7);
var clock = Stopwatch.StartNew();
float firstLoss = float.NaN, lastLoss = float.NaN;

for (int step = 1; step <= steps; step++)
{
    using var scope = NewDisposeScope();
    var starts = Enumerable.Range(0, batchSize).Select(_ => random.Next((int)data.shape[0] - TinyGpt.Context - 1)).ToArray();
    var windows = stack(starts.Select(s => data[s..(s + TinyGpt.Context + 1)]).ToArray()); // (B, T + 1)
    var inputs = windows[.., ..^1];
    var targets = windows[.., 1..];

    optimizer.zero_grad();
    var logits = model.call(inputs);                                                        // (B, T, V)
    var loss = nn.functional.cross_entropy(logits.reshape(-1, TinyGpt.Vocab), targets.reshape(-1));
    loss.backward();
    optimizer.step();

    lastLoss = loss.item<float>();
    if (step == 1) firstLoss = lastLoss;
    if (step == 1 || step % 25 == 0 || step == steps)
        Console.WriteLine($"step {step,4}  loss {lastLoss:F3}  ({clock.Elapsed.TotalSeconds:F1} s)");
}

model.eval();
var sample = vocabulary.Encode("ada ").ToList();
var generator = new Generator(seed: 3);
using (no_grad())
{
    for (int i = 0; i < 120; i++)
    {
        using var scope = NewDisposeScope();
        var window = tensor(sample.TakeLast(TinyGpt.Context).ToArray()).unsqueeze(0);      // (1, T)
        var next = model.call(window)[0, -1] / 0.8;                                          // (V)
        sample.Add(multinomial(next.softmax(-1), 1, generator: generator).item<long>());
    }
}
Console.WriteLine($"loss {firstLoss:F3} → {lastLoss:F3} in {steps} steps, {clock.Elapsed.TotalSeconds:F1} s");
Console.WriteLine("sample: " + vocabulary.Decode(sample).Replace("\n", " / "));
