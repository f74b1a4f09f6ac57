using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Training;
using ModelDsl.Training.Alignment;
using ModelDsl.Training.Checkpoints;

namespace ModelDsl.CommandLine;

/// <summary>
/// <c>train</c>: fits a target on a data file and saves the result (a checkpoint directory or an adapter). Checkpoints go
/// to <c>&lt;out&gt;/checkpoints</c>; <c>--resume</c> continues the run found there, <c>--overwrite</c> replaces another
/// run's, and Ctrl+C stops after the current step with a checkpoint. <c>--objective dpo|reward</c> trains on preference
/// pairs instead (the DPO policy is saved as for SFT; a reward model goes to <c>&lt;out&gt;/reward_model</c>).
/// </summary>
internal static class TrainCommand
{
    public static Command Create(CommandContext context, CancellationToken cancellation)
    {
        var target = CommandOptions.Target();
        var baseDir = CommandOptions.Base();
        var tokenizer = CommandOptions.Tokenizer();
        var data = CommandOptions.Data("Training data: .jsonl, .csv or .parquet (text, prompt/completion or messages; for dpo and reward: prompt or messages, chosen, rejected).");
        var eval = new Option<string?>("--eval") { Description = "Evaluation data, same formats." };
        var output = new Option<string>("--out") { Description = "Output directory.", DefaultValueFactory = _ => "runs/train" };
        var steps = CommandOptions.PositiveOrUnset("--steps", "Optimizer steps (default: one epoch).");
        var learningRate = CommandOptions.Number("--lr", "Peak learning rate.", 3e-4, v => v > 0, "must be a positive number");
        var batchSize = CommandOptions.AtLeast("--batch-size", "Sequences per step.", 1, 8);
        var checkpointEvery = CommandOptions.AtLeast("--checkpoint-every", "Write a checkpoint every this many steps (0: only at the end and on Ctrl+C).", 0, 100);
        var seed = CommandOptions.Seed();
        var maxLength = CommandOptions.MaxLength();
        var eos = CommandOptions.Eos("appended after each example");
        var pack = CommandOptions.Pack();
        var precision = CommandOptions.Precision();
        var checkpointing = CommandOptions.GradientCheckpointing();
        var resume = new Option<bool>("--resume") { Description = "Continue the run whose checkpoints are in <out>/checkpoints." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Delete another run's checkpoints in <out>/checkpoints and start afresh." };
        var objective = PreferenceTraining.Objective();
        var beta = PreferenceTraining.Beta();
        var labelSmoothing = PreferenceTraining.LabelSmoothing();
        var loss = PreferenceTraining.Loss();
        var command = new Command("train", "Train a model or fine-tune a setup on a data file.")
        {
            target, baseDir, tokenizer, data, eval, output, steps, learningRate, batchSize, checkpointEvery, seed,
            maxLength, eos, pack, precision, checkpointing, resume, overwrite, objective, beta, labelSmoothing, loss,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(resume) && result.GetValue(overwrite))
                throw new CommandLineException("--resume continues the run in the output folder and --overwrite deletes it; pass one of them.");
            var chosen = context.Find(result.GetValue(target)!);
            var tokenizerName = result.GetValue(tokenizer)!;
            var tokens = CommandContext.LoadTokenizer(tokenizerName);
            var outDir = result.GetValue(output)!;
            var checkpointDir = Path.Combine(outDir, "checkpoints");
            string? resumeFrom = null;
            if (result.GetValue(resume))
                resumeFrom = CheckpointStore.Latest(checkpointDir) ?? throw new CommandLineException(
                    $"--resume: there is no complete checkpoint in '{checkpointDir}' to continue; run without --resume to start a new run.");
            var what = result.GetValue(objective)!;
            var preferences = what != PreferenceTraining.Sft;
            if (preferences && result.GetValue(pack))
                throw new CommandLineException($"--pack joins examples into one stream, and --objective {what} compares whole answers; drop --pack.");
            // The data is read before anything is built or written, so a bad file costs nothing.
            var evalPath = result.GetValue(eval);
            var trainData = preferences ? null : Dataset.Load(result.GetValue(data)!);
            var evalData = preferences || evalPath is null ? null : Dataset.Load(evalPath);
            var trainPairs = preferences ? PreferenceDataset.Load(result.GetValue(data)!) : null;
            var evalPairs = preferences && evalPath is not null ? PreferenceDataset.Load(evalPath) : null;
            // The seed also fixes a fresh model's initial weights, so a run is repeatable from the command line alone.
            TorchSharp.torch.manual_seed(result.GetValue(seed));
            using var module = CommandContext.Build(chosen, result.GetValue(baseDir), adapter: null, tokens, tokenizerName);
            var languageModel = CommandContext.LanguageModel(module, chosen);
            var trained = PreferenceTraining.Trained(what, module);   // the module itself, or a reward head over it (disposed with it)
            var tokenization = CommandOptions.Tokenization(result.GetValue(maxLength), CommandOptions.ResolveEos(result.GetValue(eos)!, tokens), result.GetValue(pack));
            var options = new TrainerOptions
            {
                MaxSteps = result.GetValue(steps),
                LearningRate = result.GetValue(learningRate),
                BatchSize = result.GetValue(batchSize),
                Seed = result.GetValue(seed),
                OutputDir = outDir,
                CheckpointDir = checkpointDir,
                CheckpointEvery = result.GetValue(checkpointEvery),
                OverwriteCheckpoints = result.GetValue(overwrite),
                EvalEvery = evalData is null && evalPairs is null ? 0 : 50,
                Precision = CommandOptions.ParsePrecision(result.GetValue(precision)!),
                GradientCheckpointing = result.GetValue(checkpointing),
            };
            // Built before Resume: a precomputed DPO reference must come from the starting weights.
            var dpo = PreferenceTraining.Options(result, beta, labelSmoothing, loss, chosen.Dpo);
            var eosIds = CommandOptions.ResolveEos(result.GetValue(eos)!, tokens);
            int? eosId = eosIds.Count > 0 ? eosIds[0] : null;   // the one appended after each answer
            TrainingObjective Bind(PreferenceDataset pairs) => PreferenceTraining.Bind(what, trained, pairs, tokens, tokenizerName,
                result.GetValue(maxLength), eosId, languageModel.ContextLength, dpo);
            var trainObjective = trainPairs is null ? null : Bind(trainPairs);
            var evalObjective = evalPairs is null ? null : Bind(evalPairs);
            using var trainer = new Trainer(trained, options, context.Output);
            if (resumeFrom is not null)
            {
                trainer.Resume(resumeFrom);
                context.Error.WriteLine($"resuming from '{resumeFrom}'");
            }
            var fit = trainObjective is not null
                ? trainer.Fit(trainObjective, evalObjective, cancellation)
                : trainer.Fit(trainData!, evalData, tokens, tokenization, cancellation);
            if (fit.StopReason == StopReason.Cancelled)
            {
                context.Error.WriteLine(fit.LastCheckpoint is null
                    ? $"cancelled at step {fit.Step} of {fit.TotalSteps}, before the first step; nothing was saved."
                    : $"cancelled at step {fit.Step} of {fit.TotalSteps}; checkpoint '{fit.LastCheckpoint}'. Run the same command with --resume to continue.");
                return CommandErrors.Cancelled;
            }
            context.Output.WriteLine($"saved {(trained is RewardModel reward ? PreferenceTraining.SaveReward(reward, outDir) : Save(module, outDir))}");
            return 0;
        });
        return command;
    }

    static string Save(TorchSharp.torch.nn.Module module, string outDir)
    {
        switch (module)
        {
            case PeftSetup setup:
                var adapterDir = Path.Combine(outDir, "adapter");
                setup.SaveAdapter(adapterDir);
                return adapterDir;
            case Gpt2LMHeadModel gpt2:
                gpt2.SavePretrained(Path.Combine(outDir, "model"));
                return Path.Combine(outDir, "model");
            case DecoderForCausalLM decoder:
                decoder.SavePretrained(Path.Combine(outDir, "model"));
                return Path.Combine(outDir, "model");
            default:
                throw new CommandLineException($"Don't know how to save a {module.GetType().Name}.");
        }
    }
}
