using System;
using System.IO;
using ModelDsl.Benchmarks;

// Usage: dotnet run -c Release --project tests/ModelDsl.Benchmarks -- decode [--new-tokens N] [--threads N] [--output PATH]
// --threads sets libtorch's intra-op threads (on a busy shared machine 1 thread avoids waiting on descheduled workers).
if (args.Length == 0 || args[0] != "decode")
{
    Console.Error.WriteLine("Usage: ModelDsl.Benchmarks decode [--new-tokens N] [--threads N] [--output PATH]");
    return 2;
}
var newTokens = 256;
string? output = null;
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--new-tokens" when i + 1 < args.Length: newTokens = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--threads" when i + 1 < args.Length: TorchSharp.torch.set_num_threads(int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--output" when i + 1 < args.Length: output = args[++i]; break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'.");
            return 2;
    }
}
output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "decode.json");
var result = DecodeBenchmark.Run(newTokens, Console.Out);
result.Write(output);
Console.WriteLine($"Wrote {output}");
return result.TokensMatch ? 0 : 1;
