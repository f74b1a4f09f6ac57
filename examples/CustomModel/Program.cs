// A custom model in one screen: compose layers with attributes, let the generator write the module, then put LoRA
// on its linear layers (checked at compile time) and train only the adapter.
// Usage: dotnet run --project examples/CustomModel [-- steps]
using System;
using ModelDsl;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

var steps = args.Length > 0 ? int.Parse(args[0]) : 200;
manual_seed(3);
using var model = new BagClassifier();
Console.WriteLine($"{nameof(BagClassifier)}: {BagClassifier.ParameterCount:N0} parameters");
using var setup = new BagClassifierLora(model);
Console.WriteLine(setup.Summary());

// The task: does a bag of 8 tokens hold more tokens below 32 than above? (a random base cannot tell)
(Tensor Ids, Tensor Labels) Batch(int seed)
{
    var ids = randint(0, BagClassifier.Vocab, [64, 8], generator: new Generator((ulong)seed));   // (B, 8)
    return (ids, (ids < BagClassifier.Vocab / 2).sum(1).gt(4).to_type(ScalarType.Int64));           // (B)
}
double Accuracy()
{
    using var _ = no_grad();
    var (ids, labels) = Batch(-1);
    return setup.call(ids).argmax(1).eq(labels).to_type(ScalarType.Float32).mean().item<float>();
}
var before = Accuracy();
using var optimizer = optim.AdamW(setup.TrainableParameters(), lr: 1e-2);
for (var step = 0; step < steps; step++)
{
    using var scope = NewDisposeScope();
    var (ids, labels) = Batch(step);
    var loss = nn.functional.cross_entropy(setup.call(ids), labels);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
}
var after = Accuracy();
Console.WriteLine($"accuracy {before:P0} → {after:P0} after {steps} steps, training {setup.CountTrainableParameters():N0} LoRA parameters");
return after > before ? 0 : 1;

[Model]
public partial class BagClassifier
{
    public const int Vocab = 64, D = 64;
    [Embedding(Vocab, D)] public partial Embedding Embed { get; }
    [Linear(D, D)] public partial Linear Hidden { get; }
    [Linear(D, 2)] public partial Linear Head { get; }

    /// <summary>Token ids (B, T) → class logits (B, 2).</summary>
    public Tensor Forward(Tensor ids) => Head.call(nn.functional.relu(Hidden.call(Embed.call(ids).mean([1]))));   // (B, 2)
}

[FineTune<BagClassifier>]
[LoRA(4, Alpha = 8, Targets = ["hidden"])]
public partial class BagClassifierLora;
