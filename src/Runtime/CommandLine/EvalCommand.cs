using System.CommandLine;
using System.Globalization;
using ModelDsl.Data;
using ModelDsl.Training;

namespace ModelDsl.CommandLine;

/// <summary><c>eval</c>: loss, perplexity and token accuracy of a target on a data file.</summary>
internal static class EvalCommand
{
    public static Command Create(CommandContext context)
    {
        var target = CommandOptions.Target();
        var baseDir = CommandOptions.Base();
        var adapter = CommandOptions.Adapter();
        var tokenizer = CommandOptions.Tokenizer();
        var data = CommandOptions.Data("Evaluation data: .jsonl, .csv or .parquet.");
        var command = new Command("eval", "Evaluate a model or setup on a data file.") { target, baseDir, adapter, tokenizer, data };
        command.SetAction(result =>
        {
            var chosen = context.Find(result.GetValue(target)!);
            var tokens = CommandContext.LoadTokenizer(result.GetValue(tokenizer)!);
            using var module = CommandContext.Build(chosen, result.GetValue(baseDir), result.GetValue(adapter), tokens);
            using var trainer = new Trainer(module, new TrainerOptions(), context.Output);
            var record = trainer.Evaluate(Dataset.Load(result.GetValue(data)!).Tokenize(tokens));
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loss {record.Loss:F4}  perplexity {record.Perplexity:F2}  token accuracy {record.TokenAccuracy:P1}  ({record.ScoredTokens} tokens)"));
            return 0;
        });
        return command;
    }
}
