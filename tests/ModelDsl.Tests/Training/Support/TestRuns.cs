using System.IO;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training.Support;

/// <summary>Shared set-up for trainer tests: a seeded tiny model and small options.</summary>
internal static class TestRuns
{
    public static TinyLm Model(int seed = 1, double dropout = 0.1)
    {
        // The test machine's cores are shared; one intra-op thread avoids oversubscription with tiny tensors.
        set_num_threads(1);
        manual_seed(seed);
        return new TinyLm(ToyCorpus.Tokenizer.VocabularySize, dim: 32, context: 64, dropout: dropout);
    }

    public static TrainerOptions Options(int maxSteps) => new()
    {
        MaxSteps = maxSteps, BatchSize = 8, LearningRate = 3e-3, WarmupSteps = 5, Seed = 7, LogEvery = 5,
    };

    public static Trainer Trainer(TorchSharp.torch.nn.Module model, TrainerOptions options, TextWriter? log = null) =>
        new(model, options, log ?? TextWriter.Null);
}
