using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Clients;
using ModelDsl.Data;
using ModelDsl.Generation;
using ModelDsl.IO.Peft;

namespace Quickstart;

/// <summary>Prompt-engineering accuracies, with the number of examples few-shot used and its accuracy on the unwritten events.</summary>
public sealed record PromptingResult(double ZeroShot, double OneShot, double FewShot, int FewShotExamples, double FewShotUnwritten);

/// <summary>Everything one run measured.</summary>
public sealed record QuickstartReport(int Seed, double BaseLoss, PromptingResult Prompting, IReadOnlyList<MethodResult> Methods,
    bool MergedAnswersMatch, double MergedMaxLogitDifference, double ItemAdapterAccuracy, AlignmentResult Alignment, RecordAnswerResult RecordAnswer);

/// <summary>The whole lifecycle: pretrain, prompt, fine-tune with every method, compare, save, merge, swap, align, ask for a record.</summary>
public static class QuickstartRun
{
    public static QuickstartReport Run(QuickstartOptions o, TextWriter log)
    {
        // One thread: at this size a second one saves nothing, and with one every reduction adds in the same order,
        // so a seed gives the same weights and numbers to the last bit in any process (two threads did not).
        var threads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1);
        try
        {
            return RunOnOneThread(o, log);
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }
    }

    static QuickstartReport RunOnOneThread(QuickstartOptions o, TextWriter log)
    {
        Directory.CreateDirectory(o.OutputDir);
        var world = new World(o.Seed);
        var tokenizer = WordTokenizer.Build(world.Lexicon(), World.FactsLexicon());
        CheckVocabulary(world, tokenizer);

        log.WriteLine("1. Pretraining");
        using var pretrained = Pretraining.LoadOrTrain(o, world, tokenizer, log);
        var pretrainedDir = Pretraining.Directory(o);
        var tokenization = new TokenizationOptions { MaxLength = WorldGpt.Context, EosTokenId = WordTokenizer.EndOfText, PadTokenId = WordTokenizer.EndOfText };
        var baseSkill = new Dataset(world.Documents(o.BaseSkillDocuments, seed: o.Seed * 7 + 4).Select(d => new TextExample(d))).Tokenize(tokenizer, tokenization);
        var baseLoss = Measure.LanguageModelLoss(pretrained, baseSkill);
        log.WriteLine($"base skill (loss on held-out documents): {baseLoss:F3}");

        log.WriteLine("2. The task: how does the story end for its hero?  e.g.");
        var train = world.Stories(o.TrainExamples, seed: o.Seed * 7 + 2);
        var eval = world.Stories(o.EvalExamples, seed: o.Seed * 7 + 3);
        log.WriteLine(World.TaskTemplate.Replace("{story}", eval[0].Text) + " " + eval[0].Feeling);
        log.WriteLine($"pretraining never said how these events feel: {string.Join(", ", World.UnwrittenVerbs)} ({eval.Count(s => s.Unwritten)} of {eval.Count} eval stories)");

        log.WriteLine("3. Prompt engineering with a typed client");
        var prompting = Prompting(o, pretrained, tokenizer, train, eval, log);

        log.WriteLine($"4. Fine-tuning: every method gets {o.FineTuneSteps} steps of batch 16");
        var taskData = World.Task(train).Tokenize(tokenizer, tokenization);
        var tuning = new FineTuning(o, taskData, eval, baseSkill, baseLoss, log);
        // Every setup starts from the same pretrained weights and the same seed (LoRA's A and the adapters are random).
        WorldGpt Fresh()
        {
            TorchSharp.torch.manual_seed(o.Seed);
            return WorldGpt.FromPretrained(pretrainedDir);
        }
        var methods = new List<MethodResult>();
        // One learning rate for every method, so the comparison is the method's; prompt tuning needs a larger one
        // (PEFT's prompt-tuning examples use 3e-2).
        var rate = o.FineTuneLearningRate;
        using (var s = new FullSetup(Fresh())) { var c = new FullClient(s, tokenizer); methods.Add(tuning.Run("Full fine-tuning", s, rate, x => c.Feel(x.Text))); }
        using (var s = new BitFitSetup(Fresh())) { var c = new BitFitClient(s, tokenizer); methods.Add(tuning.Run("BitFit", s, rate, x => c.Feel(x.Text))); }
        using (var s = new LastBlockSetup(Fresh())) { var c = new LastBlockClient(s, tokenizer); methods.Add(tuning.Run("Selective (last block)", s, rate, x => c.Feel(x.Text))); }
        using (var s = new AdapterSetup(Fresh())) { var c = new AdapterClient(s, tokenizer); methods.Add(tuning.Run("Adapter (Houlsby)", s, rate, x => c.Feel(x.Text))); }
        using (var s = new PromptSetup(Fresh())) { var c = new SoftPromptClient(s, tokenizer); methods.Add(tuning.Run("Soft prompt", s, o.SoftPromptLearningRate, x => c.Feel(x.Text))); }
        using var lora = new LoraSetup(Fresh());
        var loraClient = new LoraClient(lora, tokenizer);
        methods.Add(tuning.Run("LoRA", lora, rate, x => loraClient.Feel(x.Text)));

        log.WriteLine("5. Merging the LoRA adapter into the base weights");
        var (match, difference) = Adapters.CheckMerge(lora, loraClient, eval, tokenizer, log);

        log.WriteLine("6. Two task adapters on one base");
        var itemAccuracy = Adapters.SwapTasks(o, Fresh, tokenizer, train, eval, tokenization, log);

        log.WriteLine($"7. Alignment: DPO teaches the people's preference ({o.AlignmentSteps} steps of 16 pairs)");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var alignment = Alignment.Run(o, Fresh, tokenizer, train, eval, baseSkill, tokenization, log);
        log.WriteLine($"(the alignment stage took {clock.Elapsed.TotalSeconds:F1} s)");

        log.WriteLine("8. A record answer from the typed client");
        clock.Restart();
        var facts = RecordAnswers.Run(o, Fresh, tokenizer, train, eval, tokenization, log);
        log.WriteLine($"(the record stage took {clock.Elapsed.TotalSeconds:F1} s)");
        return new QuickstartReport(o.Seed, baseLoss, prompting, methods, match, difference, itemAccuracy, alignment, facts);
    }

    // A piece missing from the lexicon would silently become <unk> (every field name did, once): refuse instead.
    static void CheckVocabulary(World world, WordTokenizer tokenizer)
    {
        if (tokenizer.Count > WorldGpt.Vocab)
            throw new InvalidOperationException($"The world has {tokenizer.Count} tokens but WorldGpt's vocabulary holds {WorldGpt.Vocab}; raise Vocab.");
        var stories = world.Stories(50, seed: 0);
        var sample = world.Documents(200, seed: 0)
            .Concat(stories.Select(s => World.TaskTemplate.Replace("{story}", s.Text) + World.PreferredAnswer(s)))
            .Concat(stories.Select(s => World.FactsTemplate.Replace("{story}", s.Text) + World.FactsJson(World.Facts(s))));
        var unknown = sample.SelectMany(tokenizer.UnknownPieces).Distinct().ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"World.Lexicon() misses the pieces {string.Join(", ", unknown.Select(u => $"'{u}'"))}; add them to it.");
    }

    static PromptingResult Prompting(QuickstartOptions o, WorldGpt model, WordTokenizer tokenizer, IReadOnlyList<Story> train, IReadOnlyList<Story> eval, TextWriter log)
    {
        var client = new StoryClient(model, tokenizer);
        // Examples alternate between the labels, so the prompt shows both answers.
        var pool = train.Where(s => s.Feeling == Feeling.happy).Zip(train.Where(s => s.Feeling == Feeling.sad), (a, b) => new[] { a, b })
            .SelectMany(p => p).Select(s => PromptExample.Of("story", s.Text, s.Feeling.ToString())).ToList();
        TaskScore Accuracy(int shots)
        {
            var examples = pool.Take(shots).ToArray();
            return Measure.Accuracy(eval, s => client.Feel(s.Text, examples));
        }
        var fewShot = Accuracy(o.FewShot);
        var result = new PromptingResult(Accuracy(0).Accuracy, Accuracy(1).Accuracy, fewShot.Accuracy, o.FewShot, fewShot.UnwrittenAccuracy);
        log.WriteLine($"zero-shot {result.ZeroShot:P1}   one-shot {result.OneShot:P1}   {o.FewShot}-shot {result.FewShot:P1} (on the unwritten events {result.FewShotUnwritten:P1})");
        log.WriteLine($"zero-shot answer: \"{client.Feel(eval[0].Text, [])}\"; {o.FewShot}-shot answer: \"{client.Feel(eval[0].Text, pool.Take(o.FewShot))}\"");

        // The context window is finite: the client drops the oldest examples, and refuses a query that cannot fit.
        var many = pool.Take(40).ToArray();
        log.WriteLine($"with {many.Length} examples offered, {client.ExamplesThatFit(eval[0].Text, many)} fit in the {WorldGpt.Context}-token window (the oldest are dropped)");
        try
        {
            client.Feel(string.Join(" then ", Enumerable.Repeat(eval[0].Text, 20)), []);
        }
        catch (PromptTooLongException e)
        {
            log.WriteLine($"a story twenty times as long: {e.Message}");
        }
        return result;
    }
}
