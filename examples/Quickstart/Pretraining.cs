using System;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
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

    // What the checkpoint was trained from: the budget, the corpus and the vocabulary. A cached checkpoint is used only
    // when all three match, so editing the world or the options retrains instead of loading a stale (or misshapen) model.
    static string Recipe(QuickstartOptions o, IReadOnlyList<string> documents, WordTokenizer tokenizer)
    {
        var corpus = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u0000", documents))));
        var vocabulary = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u0000", tokenizer.Vocabulary))));
        return $"steps {o.PretrainSteps}\nseed {o.Seed}\ncorpus {corpus}\nvocabulary {vocabulary}\n";
    }

    public static WorldGpt LoadOrTrain(QuickstartOptions o, World world, WordTokenizer tokenizer, TextWriter log)
    {
        var directory = Directory(o);
        var documents = world.Documents(o.PretrainDocuments, seed: o.Seed * 7 + 1);
        var recipe = Recipe(o, documents, tokenizer);
        var recipeFile = Path.Combine(directory, "recipe.txt");
        if (File.Exists(recipeFile) && File.ReadAllText(recipeFile) == recipe)
        {
            log.WriteLine($"pretrained checkpoint found in {directory}: skipping pretraining (delete it to pretrain again)");
            return WorldGpt.FromPretrained(directory);
        }
        manual_seed(o.Seed);
        var model = new WorldGpt();
        var corpus = new Dataset(documents.Select(d => new TextExample(d)));
        var tokenization = new TokenizationOptions { MaxLength = WorldGpt.Context, Pack = true, EosTokenId = WordTokenizer.EndOfText, PadTokenId = WordTokenizer.EndOfText };
        log.WriteLine($"pretraining {WorldGpt.ParameterCount:N0} parameters on {corpus.Count:N0} generated documents, {o.PretrainSteps} steps");
        using var trainer = new Trainer(model, new TrainerOptions
        {
            MaxSteps = o.PretrainSteps, BatchSize = 16, LearningRate = 1e-2, WarmupSteps = 20, Seed = o.Seed, LogEvery = 50,
        }, log);
        trainer.Fit(corpus, null, tokenizer, tokenization);
        model.SavePretrained(directory);
        // Written last: a checkpoint without its recipe (an interrupted save, an older world) is trained again.
        AtomicFile.Write(recipeFile, stream => stream.Write(Encoding.UTF8.GetBytes(recipe)));
        log.WriteLine($"saved the pretrained checkpoint to {directory}");
        return model;
    }
}
