using System.CommandLine;

namespace ModelDsl.CommandLine;

/// <summary>The options the commands share.</summary>
internal static class CommandOptions
{
    public static Option<string> Target() => new("--target") { Description = "The model or setup to use (see 'list').", Required = true };

    public static Option<string?> Base() => new("--base") { Description = "Hugging Face checkpoint directory of the base model." };

    public static Option<string?> Adapter() => new("--adapter") { Description = "Adapter directory (PEFT layout) to load into a setup." };

    public static Option<string> Tokenizer() => new("--tokenizer")
    {
        Description = "'gpt2' (shipped) or a directory with tokenizer.model or vocab.json + merges.txt.",
        DefaultValueFactory = _ => "gpt2",
    };

    public static Option<string> Data(string description) => new("--data") { Description = description, Required = true };

    public static Option<int> Seed() => new("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 42 };
}
