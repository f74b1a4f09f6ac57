using System.CommandLine;
using System.Linq;
using System.Threading;
using ModelDsl.Generation;

namespace ModelDsl.CommandLine;

/// <summary>
/// <c>generate</c>: continues a prompt with a target, stopping at an end-of-sequence token or a <c>--stop</c> string. The
/// <c>--base</c> checkpoint's <c>generation_config.json</c>, when there is one, gives the defaults (its EOS ids for
/// <c>--eos auto</c>, its sampling settings and <c>max_new_tokens</c>); options given on the command line win.
/// </summary>
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
        var eos = CommandOptions.Eos("that ends generation", "the --base checkpoint's generation_config.json ids, else the tokenizer's");
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
            var baseDirectory = result.GetValue(baseDir);
            var configured = baseDirectory is null ? new GenerationOptions() : GenerationOptions.FromPretrained(baseDirectory);
            var eosValue = result.GetValue(eos)!;
            var options = configured with
            {
                MaxNewTokens = CommandOptions.Given(result, maxNewTokens) ? result.GetValue(maxNewTokens) : configured.MaxNewTokens,
                Temperature = CommandOptions.Given(result, temperature) ? result.GetValue(temperature) : configured.Temperature,
                Seed = (ulong)result.GetValue(seed),
                StopSequences = result.GetValue(stop) ?? [],
                EndOfSequenceTokenIds = eosValue.Equals("auto", System.StringComparison.OrdinalIgnoreCase) && configured.EndOfSequenceTokenIds.Count > 0
                    ? configured.EndOfSequenceTokenIds
                    : CommandOptions.ResolveEos(eosValue, tokens),
            };
            context.Output.WriteLine(new TextGenerator(model, tokens).Generate(result.GetValue(prompt)!, options, cancellation).Text);
            return 0;
        });
        return command;
    }
}
