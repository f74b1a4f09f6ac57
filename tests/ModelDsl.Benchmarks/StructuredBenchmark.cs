using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Generation;
using ModelDsl.Generation.Structured;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Cost of a constrained decoding step against an unconstrained one at GPT-2's vocabulary size (50,257): a GPT-2-shaped
/// model (6 layers × 384) decodes with the key/value cache, greedy with one row and sampled with a batch of 8, with and
/// without a JSON-schema constraint whose string keeps nearly the whole vocabulary allowed. Masks are warmed first,
/// so the steady state is measured (a cache lookup and a masked fill per step); the cold costs (schema compile, token
/// table, first mask walk) are reported apart. Rounds alternate between the two so that machine load hits both alike.
/// </summary>
internal static class StructuredBenchmark
{
    public static readonly Gpt2Config Config = new(Layers: 6, Dim: 384, Heads: 6, Vocab: 50257, Context: 512);
    const string Schema = """{"type":"object","properties":{"note":{"type":"string"},"n":{"type":"integer"}},"required":["note","n"]}""";
    const int Rounds = 7, BatchRows = 8;

    public static StructuredResult Run(int newTokens, TextWriter log)
    {
        var load = LoadAverage.Now();
        var tokenizer = Tokenizers.Gpt2();
        var compileSeconds = Stats.Time(() => JsonSchemaConstraint.Parse(Schema + " "));   // a text not cached yet
        var constraint = JsonSchemaConstraint.Parse(Schema);
        var tableSeconds = Stats.Time(() => TokenTable.For(tokenizer));
        var masks = new TokenMasks(constraint.Automaton, TokenTable.For(tokenizer), Config.Vocab);
        var inString = constraint.Automaton.Walk(constraint.Automaton.Start, "{\"note\":\"x"u8);
        var walkSeconds = Stats.Time(() => masks.Allowed(inString, int.MaxValue));
        var allowedInString = masks.Allowed(inString, int.MaxValue).Sum(w => System.Numerics.BitOperations.PopCount(w));

        manual_seed(1);
        using var model = new Gpt2LMHeadModel(Config);
        model.eval();
        var generator = new TextGenerator(model, tokenizer);
        int[] prompt = tokenizer.EncodeToIds("Write the record as JSON:").ToArray();
        var greedy = new GenerationOptions { MaxNewTokens = newTokens };
        var sampled = greedy with { Temperature = 1.0, Seed = 5 };
        var constrained = new GenerationOptions { ResponseConstraint = constraint, EndOfSequenceTokenId = 50256 };

        var firstConstrained = Stats.Time(() => generator.GenerateTokens([prompt], greedy with { ResponseConstraint = constraint }));
        var cases = new List<StructuredCase>();
        foreach (var (name, rows, options) in new[] { ("greedy, 1 row", 1, greedy), ($"sampled T=1, {BatchRows} rows", BatchRows, sampled) })
        {
            IReadOnlyList<int>[] batch = Enumerable.Repeat((IReadOnlyList<int>)prompt, rows).ToArray();
            var withConstraint = options with { ResponseConstraint = constraint, EndOfSequenceTokenId = constrained.EndOfSequenceTokenId };
            generator.GenerateTokens(batch, options);            // warm kernels and allocator
            generator.GenerateTokens(batch, withConstraint);     // warm the masks of the states this decode visits
            var free = new List<double>();
            var masked = new List<double>();
            var steps = 0;
            for (var round = 0; round < Rounds; round++)
            {
                free.Add(PerStep(generator, batch, options, out _));
                masked.Add(PerStep(generator, batch, withConstraint, out steps));
            }
            var result = new StructuredCase(name, rows, steps, Stats.Median(free) * 1e3, Stats.Median(masked) * 1e3);
            log.WriteLine($"{name}: unconstrained {result.UnconstrainedMsPerStep:F2} ms/step, constrained {result.ConstrainedMsPerStep:F2} ms/step "
                          + $"(x{result.Ratio:F3}, {steps} constrained steps)");
            cases.Add(result);
        }
        return new StructuredResult(
            Model: $"GPT-2 {Config.Layers} layers x {Config.Dim}, {Config.Heads} heads, vocab {Config.Vocab}",
            Threads: get_num_threads(), NewTokens: newTokens, LoadAverageBefore: load, LoadAverageAfter: LoadAverage.Now(),
            SchemaCompileMs: compileSeconds * 1e3, AutomatonStates: constraint.Automaton.StateCount,
            TokenTableMs: tableSeconds * 1e3, MaskWalkMs: walkSeconds * 1e3, AllowedTokensInString: allowedInString,
            FirstConstrainedDecodeMs: firstConstrained * 1e3, Cases: cases);
    }

    /// <summary>Seconds per decoding step of one generation.</summary>
    static double PerStep(TextGenerator generator, IReadOnlyList<int>[] batch, GenerationOptions options, out int steps)
    {
        var clock = Stopwatch.StartNew();
        var results = generator.GenerateTokens(batch, options);
        var seconds = clock.Elapsed.TotalSeconds;
        steps = results.Max(r => r.TokenIds.Count + (r.FinishReason == FinishReason.EndOfSequence ? 1 : 0));
        return seconds / steps;
    }
}
