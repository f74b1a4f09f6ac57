using System;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace Quickstart;

/// <summary>Pretrains <see cref="WorldGpt"/> on the world's documents, or loads the checkpoint a previous run cached.</summary>
public static class Pretraining
{
    /// <summary>Where the pretrained checkpoint is cached.</summary>
    public static string Directory(QuickstartOptions o) => Path.Combine(o.OutputDir, "pretrained");

    public static WorldGpt LoadOrTrain(QuickstartOptions o, World world, WordTokenizer tokenizer, TextWriter log)
    {
        var directory = Directory(o);
        if (File.Exists(Path.Combine(directory, "config.json")))
        {
            log.WriteLine($"pretrained checkpoint found in {directory}: skipping pretraining (delete it to pretrain again)");
            return WorldGpt.FromPretrained(directory);
        }
        manual_seed(o.Seed);
        var model = new WorldGpt();
        var corpus = new Dataset(world.Documents(o.PretrainDocuments, seed: o.Seed * 7 + 1).Select(d => new TextExample(d)));
        var tokenization = new TokenizationOptions { MaxLength = 48, Pack = true, EosTokenId = WordTokenizer.EndOfText, PadTokenId = WordTokenizer.EndOfText };
        log.WriteLine($"pretraining {WorldGpt.ParameterCount:N0} parameters on {corpus.Count:N0} generated documents, {o.PretrainSteps} steps");
        using var trainer = new Trainer(model, new TrainerOptions
        {
            MaxSteps = o.PretrainSteps, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 20, Seed = o.Seed, LogEvery = 50,
        }, log);
        trainer.Fit(corpus, null, tokenizer, tokenization);
        model.SavePretrained(directory);
        log.WriteLine($"saved the pretrained checkpoint to {directory}");
        return model;
    }
}
