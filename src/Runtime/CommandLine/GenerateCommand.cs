using System.CommandLine;
using ModelDsl.Generation;
using ModelDsl.Models;

namespace ModelDsl.CommandLine;

/// <summary><c>generate</c>: continues a prompt with a target.</summary>
internal static class GenerateCommand
{
    public static Command Create(CommandContext context)
    {
        var target = CommandOptions.Target();
        var baseDir = CommandOptions.Base();
        var adapter = CommandOptions.Adapter();
        var tokenizer = CommandOptions.Tokenizer();
        var prompt = new Option<string>("--prompt") { Description = "The text to continue.", Required = true };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "0 is greedy.", DefaultValueFactory = _ => 0 };
        var seed = CommandOptions.Seed();
        var command = new Command("generate", "Continue a prompt with a model or setup.")
        {
            target, baseDir, adapter, tokenizer, prompt, maxNewTokens, temperature, seed,
        };
        command.SetAction(result =>
        {
            var chosen = context.Find(result.GetValue(target)!);
            var tokens = CommandContext.LoadTokenizer(result.GetValue(tokenizer)!);
            using var module = CommandContext.Build(chosen, result.GetValue(baseDir), result.GetValue(adapter), tokens);
            if (module is not ICausalLanguageModel model)
                throw new CommandLineException($"'{chosen.Name}' is not a causal language model.");
            var options = new GenerationOptions
            {
                MaxNewTokens = result.GetValue(maxNewTokens),
                Temperature = result.GetValue(temperature),
                Seed = (ulong)result.GetValue(seed),
            };
            context.Output.WriteLine(new TextGenerator(model, tokens).Generate(result.GetValue(prompt)!, options).Text);
            return 0;
        });
        return command;
    }
}
