using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training;

namespace Quickstart;

/// <summary>The typed client's record answer: how often the facts it returns are all right, and one of them.</summary>
public sealed record RecordAnswerResult(double Accuracy, string Story, StoryFacts Example);

/// <summary>
/// Fine-tunes a copy of the base on the facts of stories as JSON and asks the typed client's <c>Facts</c>, whose decoding
/// is constrained to <see cref="StoryFacts"/>' schema, so every answer is a <see cref="StoryFacts"/>. Full fine-tuning,
/// not LoRA: the JSON's pieces (<c>{</c>, <c>"</c>, "hat" without its space…) are tokens pretraining never used, and LoRA
/// leaves the embedding that would have to learn them frozen (a LoRA adapter got no answer fully right; PEFT users
/// add the embedding to <c>modules_to_save</c> for new tokens).
/// </summary>
public static class RecordAnswers
{
    public static RecordAnswerResult Run(QuickstartOptions o, Func<WorldGpt> fresh, WordTokenizer tokenizer, IReadOnlyList<Story> train,
        IReadOnlyList<Story> eval, TokenizationOptions tokenization, TextWriter log)
    {
        var story = eval[0];
        log.WriteLine($"{World.FactsTemplate.Replace("{story}", story.Text)}{World.FactsJson(World.Facts(story))}");
        using var setup = new FullSetup(fresh());
        using (var trainer = new Trainer(setup, new TrainerOptions
        {
            MaxSteps = o.RecordSteps, BatchSize = 16, LearningRate = o.FineTuneLearningRate, WarmupSteps = 5, Seed = o.Seed, LogEvery = o.RecordSteps,
        }, log))
        {
            trainer.Fit(World.FactsTask(train).Tokenize(tokenizer, tokenization));
        }
        var client = new FullClient(setup, tokenizer);
        var example = client.Facts(story.Text);
        log.WriteLine($"client.Facts(\"{story.Text}\") → {example}");
        var accuracy = eval.Count(s => client.Facts(s.Text) == World.Facts(s)) / (double)eval.Count;
        log.WriteLine($"every field right for {accuracy:P1} of {eval.Count} held-out stories");
        return new RecordAnswerResult(accuracy, story.Text, example);
    }
}
