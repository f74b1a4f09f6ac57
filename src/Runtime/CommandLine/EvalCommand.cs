using System.CommandLine;
using System.Globalization;
using ModelDsl.Data;
using ModelDsl.Peft;
using ModelDsl.Training;

namespace ModelDsl.CommandLine;

/// <summary>
/// <c>eval</c>: loss, perplexity and token accuracy of a target on a data file. It builds no trainer, so no optimizer
/// state is allocated.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CommandContext context)
    {
        var target = CommandOptions.Target();
        var baseDir = CommandOptions.Base();
        var adapter = CommandOptions.Adapter();
        var tokenizer = CommandOptions.Tokenizer();
        var data = CommandOptions.Data("Evaluation data: .jsonl, .csv or .parquet.");
        var batchSize = CommandOptions.AtLeast("--batch-size", "Sequences per forward pass.", 1, 8);
        var maxLength = CommandOptions.MaxLength();
        var eos = CommandOptions.Eos("appended after each example");
        var pack = CommandOptions.Pack();
        var command = new Command("eval", "Evaluate a model or setup on a data file.")
        {
            target, baseDir, adapter, tokenizer, data, batchSize, maxLength, eos, pack,
        };
        command.SetAction(result =>
        {
            var chosen = context.Find(result.GetValue(target)!);
            var tokenizerName = result.GetValue(tokenizer)!;
            var tokens = CommandContext.LoadTokenizer(tokenizerName);
            var dataset = Dataset.Load(result.GetValue(data)!);
            using var module = CommandContext.Build(chosen, result.GetValue(baseDir), result.GetValue(adapter), tokens, tokenizerName);
            var model = CommandContext.LanguageModel(module, chosen);
            if (module is PeftSetup && result.GetValue(adapter) is null)
                context.Error.WriteLine($"note: no --adapter given, so '{chosen.Name}' is evaluated with a freshly initialised, untrained adapter; "
                    + "pass --adapter <dir> to evaluate a trained one.");
            var tokenization = CommandOptions.Tokenization(result.GetValue(maxLength), CommandOptions.ResolveEos(result.GetValue(eos)!, tokens), result.GetValue(pack))
                .WithDefaultMaxLength(model.ContextLength);
            var tokenized = dataset.Tokenize(tokens, tokenization);
            if (tokenized.TruncatedExamples > 0)
                context.Error.WriteLine($"note: {tokenized.TruncatedExamples} of {dataset.Count} examples were longer than {tokenization.MaxLength} tokens and were truncated.");
            DataChecks.RequireFits(tokenized, model, "eval");
            var record = Evaluator.Run(module, tokenized, result.GetValue(batchSize), step: 0, device: null);
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loss {record.Loss:F4}  perplexity {record.Perplexity:F2}  token accuracy {record.TokenAccuracy:P1}  ({record.ScoredTokens} tokens)"));
            return 0;
        });
        return command;
    }
}
