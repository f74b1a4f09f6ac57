using ModelDsl.CommandLine;
using ModelDsl.IO;
using ModelDsl.Models;

namespace ModelDsl.CrashChild;

/// <summary>
/// <c>ModelDsl.CrashChild cli &lt;arguments&gt;</c>: the command line over one tiny GPT-2 target (<c>TinyGpt</c>, GPT-2's
/// vocabulary), run as a real process so the test can interrupt it with SIGINT as Ctrl+C does.
/// </summary>
internal static class CommandLineRun
{
    static readonly Gpt2Config Config = new(Layers: 1, Dim: 16, Heads: 2, Vocab: 50257, Context: 32);

    public static int Run(string[] args)
    {
        TorchSharp.torch.set_num_threads(1);
        CommandTarget[] targets =
        [
            new("TinyGpt", "tiny GPT-2", false, (baseDir, _) =>
            {
                TorchSharp.torch.manual_seed(1);
                var model = new Gpt2LMHeadModel(Config);
                if (baseDir is not null) model.LoadPretrained(baseDir);
                return model;
            }),
        ];
        return ModelDslCommandLine.Run(args, targets);
    }
}
