using System.IO;
using System.Linq;
using System.Threading;
using ModelDsl;
using ModelDsl.CommandLine;
using ModelDsl.Tests.Peft;

namespace ModelDsl.Tests.CommandLine;

// Targets the command-line tests declare besides those of the Peft tests.

[FineTune<Gpt2VocabModel>]
[LoRA(4, Alpha = 8, Targets = ["c_attn"])]
public partial class Gpt2VocabLora;

[FineTune<Gpt2VocabModel>]
[LoRA(4, Alpha = 8, Targets = ["c_attn"])]
[Dpo(Beta = 0.3, Loss = DpoLossType.Ipo)]
public partial class Gpt2VocabIpo;

[Gpt2(Layers = 1, Dim = 16, Heads = 2, Vocab = 300, Context = 32)]
public partial class SmallVocabGpt;

/// <summary>The command line run in-process over the test targets, with its exit code and both output streams.</summary>
internal static class CommandLineHarness
{
    public static readonly CommandTarget[] Targets =
    [
        new("Gpt2VocabModel", "tiny GPT-2", false, (baseDir, _) => baseDir is null ? new Gpt2VocabModel() : Gpt2VocabModel.FromPretrained(baseDir)),
        new("Gpt2TextPrompt", "soft prompt", true,
            (baseDir, tokenizer) => new Gpt2TextPrompt(Gpt2VocabModel.FromPretrained(CommandTarget.RequireBase(baseDir, "Gpt2TextPrompt")), tokenizer)),
        new("Gpt2VocabLora", "LoRA", true,
            (baseDir, _) => new Gpt2VocabLora(Gpt2VocabModel.FromPretrained(CommandTarget.RequireBase(baseDir, "Gpt2VocabLora")))),
        // As the generator writes a setup that declares [Dpo].
        new("Gpt2VocabIpo", "LoRA aligned with IPO", true,
            (baseDir, _) => new Gpt2VocabIpo(Gpt2VocabModel.FromPretrained(CommandTarget.RequireBase(baseDir, "Gpt2VocabIpo")))) { Dpo = Gpt2VocabIpo.DpoOptions },
        new("SmallVocabGpt", "GPT-2 with a 300-token vocabulary", false,
            (baseDir, _) => baseDir is null ? new SmallVocabGpt() : SmallVocabGpt.FromPretrained(baseDir)),
        // Every parameter frozen: evaluating it must not need anything a trainer allocates.
        new("FrozenGpt", "tiny GPT-2, frozen", false, (baseDir, _) =>
        {
            var model = baseDir is null ? new Gpt2VocabModel() : Gpt2VocabModel.FromPretrained(baseDir);
            foreach (var parameter in model.parameters()) parameter.requires_grad = false;
            return model;
        }),
    ];

    public static (int Exit, string Output, string Error) Run(params string[] args) => Run(CancellationToken.None, args);

    public static (int Exit, string Output, string Error) Run(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = ModelDslCommandLine.Run(args, Targets, output, error, cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A JSONL file of <paramref name="lines"/> short sentences.</summary>
    public static string WriteText(string path, int lines, string sentence = "The cat number {0} sat on the mat.")
    {
        File.WriteAllLines(path, Enumerable.Range(0, lines).Select(i => $"{{\"text\": \"{string.Format(System.Globalization.CultureInfo.InvariantCulture, sentence, i)}\"}}"));
        return path;
    }

    /// <summary>
    /// True when <paramref name="text"/> is one paragraph (no blank line) with no stack trace of any kind in it.
    /// </summary>
    public static bool IsOneParagraphWithoutStackTrace(string text)
    {
        var trimmed = text.Replace("\r\n", "\n").Trim();
        return trimmed.Length > 0 && !trimmed.Contains("\n\n")
            && !trimmed.Split('\n').Any(line => line.TrimStart().StartsWith("at ", System.StringComparison.Ordinal)
                                             || line.Contains("Exception raised from") || line.Contains("frame #")
                                             || line.Contains("--- End of"));
    }
}
