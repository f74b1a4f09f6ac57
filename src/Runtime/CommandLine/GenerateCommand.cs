using System.CommandLine;
using System.Linq;
using System.Threading;
using ModelDsl.Generation;

namespace ModelDsl.CommandLine;

/// <summary><c>generate</c>: continues a prompt with a target, stopping at the end-of-sequence token or a <c>--stop</c> string.</summary>
internal static class GenerateCommand
{
    public static Command Create(CommandContext context, CancellationToken cancellation)
    {
        var target = CommandOptions.Target();
        var baseDir = CommandOptions.Base();
        var adapter = CommandOptions.Adapter();
        var tokenizer = CommandOptions.Tokenizer();
        var prompt = new Option<string>("--prompt") { Description = "The text to continue.", Required = true };
        var maxNewTokens = CommandOptions.AtLeast("--max-new-tokens", "Most tokens to generate.", 1, 64);
        var temperature = CommandOptions.Number("--temperature", "0 is greedy.", 0, v => v >= 0, "must be 0 (greedy) or positive");
        var stop = new Option<string[]>("--stop") { Description = "Stop when this text appears (repeatable); it is not printed.", AllowMultipleArgumentsPerToken = false };
        stop.Validators.Add(r => { if (r.Tokens.Any(t => t.Value.Length == 0)) r.AddError("--stop needs a non-empty text."); });
        var eos = CommandOptions.Eos("that ends generation");
        var seed = CommandOptions.Seed();
        var command = new Command("generate", "Continue a prompt with a model or setup.")
        {
            target, baseDir, adapter, tokenizer, prompt, maxNewTokens, temperature, stop, eos, seed,
        };
        command.SetAction(result =>
        {
            var chosen = context.Find(result.GetValue(target)!);
            var tokenizerName = result.GetValue(tokenizer)!;
            var tokens = CommandContext.LoadTokenizer(tokenizerName);
            using var module = CommandContext.Build(chosen, result.GetValue(baseDir), result.GetValue(adapter), tokens, tokenizerName);
            var model = CommandContext.LanguageModel(module, chosen);
            var options = new GenerationOptions
            {
                MaxNewTokens = result.GetValue(maxNewTokens),
                Temperature = result.GetValue(temperature),
                Seed = (ulong)result.GetValue(seed),
                StopSequences = result.GetValue(stop) ?? [],
                EndOfSequenceTokenIds = CommandOptions.ResolveEos(result.GetValue(eos)!, tokens),
            };
            context.Output.WriteLine(new TextGenerator(model, tokens).Generate(result.GetValue(prompt)!, options, cancellation).Text);
            return 0;
        });
        return command;
    }
}
