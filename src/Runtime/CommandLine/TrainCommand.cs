using System.CommandLine;
using System.IO;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Training;

namespace ModelDsl.CommandLine;

/// <summary><c>train</c>: fits a target on a data file and saves the result (a checkpoint directory or an adapter).</summary>
internal static class TrainCommand
{
    public static Command Create(CommandContext context)
    {
        var target = CommandOptions.Target();
        var baseDir = CommandOptions.Base();
        var tokenizer = CommandOptions.Tokenizer();
        var data = CommandOptions.Data("Training data: .jsonl, .csv or .parquet (text, prompt/completion or messages).");
        var eval = new Option<string?>("--eval") { Description = "Evaluation data, same formats." };
        var output = new Option<string>("--out") { Description = "Output directory.", DefaultValueFactory = _ => "runs/train" };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default: one epoch)." };
        var learningRate = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 3e-4 };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences per step.", DefaultValueFactory = _ => 8 };
        var seed = CommandOptions.Seed();
        var command = new Command("train", "Train a model or fine-tune a setup on a data file.")
        {
            target, baseDir, tokenizer, data, eval, output, steps, learningRate, batchSize, seed,
        };
        command.SetAction(result =>
        {
            var chosen = context.Find(result.GetValue(target)!);
            var tokens = CommandContext.LoadTokenizer(result.GetValue(tokenizer)!);
            var outDir = result.GetValue(output)!;
            using var module = CommandContext.Build(chosen, result.GetValue(baseDir), adapter: null, tokens);
            var options = new TrainerOptions
            {
                MaxSteps = result.GetValue(steps),
                LearningRate = result.GetValue(learningRate),
                BatchSize = result.GetValue(batchSize),
                Seed = result.GetValue(seed),
                OutputDir = outDir,
                CheckpointDir = Path.Combine(outDir, "checkpoints"),
                EvalEvery = result.GetValue(eval) is null ? 0 : 50,
            };
            using var trainer = new Trainer(module, options, context.Output);
            var evalPath = result.GetValue(eval);
            trainer.Fit(Dataset.Load(result.GetValue(data)!), evalPath is null ? null : Dataset.Load(evalPath), tokens);

            string saved = Save(module, outDir);
            context.Output.WriteLine($"saved {saved}");
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
