using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Tests.Hardening;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Peft;
using Xunit;
using Xunit.Abstractions;
using static ModelDsl.Tests.CommandLine.CommandLineHarness;
using static TorchSharp.torch;

namespace ModelDsl.Tests.CommandLine;

/// <summary>
/// A few hundred generated bad invocations of the command line — missing and damaged files, wrong numbers, unknown
/// targets, unwritable outputs — run through the in-process entry point: every one must exit non-zero with a
/// one-paragraph message on standard error and no stack trace.
/// </summary>
public sealed class CommandLineFuzzTests(ITestOutputHelper output, CommandLineFuzzTests.Files files) : IClassFixture<CommandLineFuzzTests.Files>
{
    static readonly int Cases = FuzzBudget.Cases(300);

    /// <summary>Good and bad files the invocations are made of, written once for the class.</summary>
    public sealed class Files : IDisposable
    {
        readonly TempDirectory _dir = new();

        public Files()
        {
            string F(string name) => _dir.File(name);
            manual_seed(3);
            using (var model = new Gpt2VocabModel()) model.SavePretrained(F("base"));
            using (var setup = new Gpt2VocabLora(Gpt2VocabModel.FromPretrained(F("base")))) setup.SaveAdapter(F("adapter"));
            GoodBase = F("base");
            GoodAdapter = F("adapter");
            GoodData = WriteText(F("good.jsonl"), 4);

            var bad = new List<string>();
            string Copy(string from, string name, Action<string> damage)
            {
                var to = F(name);
                Directory.CreateDirectory(to);
                foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
                damage(to);
                return to;
            }
            var weights = File.ReadAllBytes(Path.Combine(GoodBase, "model.safetensors"));
            BadBases =
            [
                F("missing-base"),
                Copy(GoodBase, "truncated-weights", d => File.WriteAllBytes(Path.Combine(d, "model.safetensors"), weights[..(weights.Length / 2)])),
                Copy(GoodBase, "garbage-weights", d => File.WriteAllBytes(Path.Combine(d, "model.safetensors"), new byte[4096])),
                Copy(GoodBase, "huge-header", d => File.WriteAllBytes(Path.Combine(d, "model.safetensors"), [.. BitConverter.GetBytes(long.MaxValue), .. "{}"u8])),
                Copy(GoodBase, "no-config", d => File.Delete(Path.Combine(d, "config.json"))),
                Copy(GoodBase, "config-not-json", d => File.WriteAllText(Path.Combine(d, "config.json"), "{\"n_layer\": ")),
                Copy(GoodBase, "config-wrong-type", d => File.WriteAllText(Path.Combine(d, "config.json"), File.ReadAllText(Path.Combine(d, "config.json")).Replace("\"n_embd\": 16", "\"n_embd\": \"sixteen\""))),
                Copy(GoodBase, "config-other-size", d => File.WriteAllText(Path.Combine(d, "config.json"), File.ReadAllText(Path.Combine(d, "config.json")).Replace("\"n_layer\": 1", "\"n_layer\": 2"))),
                Copy(GoodBase, "config-huge", d => File.WriteAllText(Path.Combine(d, "config.json"), File.ReadAllText(Path.Combine(d, "config.json")).Replace("\"n_layer\": 1", "\"n_layer\": 2000000000"))),
                Copy(GoodBase, "pickle-only", d => { File.Delete(Path.Combine(d, "model.safetensors")); File.WriteAllBytes(Path.Combine(d, "pytorch_model.bin"), [0x80, 2]); }),
                Copy(GoodBase, "config-llama", d => File.WriteAllText(Path.Combine(d, "config.json"), "{\"model_type\": \"llama\"}")),
            ];
            BadAdapters =
            [
                F("missing-adapter"),
                Copy(GoodAdapter, "adapter-no-config", d => File.Delete(Path.Combine(d, PeftAdapterFiles.ConfigFileName))),
                Copy(GoodAdapter, "adapter-bad-json", d => File.WriteAllText(Path.Combine(d, PeftAdapterFiles.ConfigFileName), "[")),
                Copy(GoodAdapter, "adapter-other-method", d => Edit(d, "\"LORA\"", "\"PROMPT_TUNING\"")),
                Copy(GoodAdapter, "adapter-rank-pattern", d => Edit(d, "{", "{\"rank_pattern\": {\"c_attn\": 2},")),
                Copy(GoodAdapter, "adapter-dora", d => Edit(d, "{", "{\"use_dora\": true,")),
                Copy(GoodAdapter, "adapter-huge-rank", d => Edit(d, "\"r\": 4", "\"r\": 4000")),
                Copy(GoodAdapter, "adapter-negative-alpha", d => Edit(d, "\"lora_alpha\": 8", "\"lora_alpha\": -8")),
                Copy(GoodAdapter, "adapter-truncated", d => File.WriteAllBytes(Path.Combine(d, PeftAdapterFiles.WeightsFileName), new byte[7])),
                Copy(GoodAdapter, "adapter-pickle", d => { File.Delete(Path.Combine(d, PeftAdapterFiles.WeightsFileName)); File.WriteAllBytes(Path.Combine(d, "adapter_model.bin"), [1]); }),
            ];
            BadData =
            [
                F("missing.jsonl"),
                Write("not-json.jsonl", "{\"text\": \"a\"}\n{not json}\n"),
                Write("array.jsonl", "[1, 2]\n"),
                Write("no-field.jsonl", "{\"title\": \"x\"}\n"),
                Write("empty.jsonl", ""),
                Write("empty.csv", ""),
                Write("ragged.csv", "text,prompt\n\"a\"\n"),
                Write("open-quote.csv", "text\n\"never closed\n"),
                Write("junk.parquet", "PAR1 this is not parquet"),
                Write("data.txt", "plain text"),
                Write("bad-messages.jsonl", "{\"messages\": [{\"role\": 5}]}\n"),
            ];
            BadTokenizers = [F("missing-tokenizer"), Write("tokenizer-file", "x"), MakeDirectory("empty-tokenizer"),
                             Write(Path.Combine("garbage-tokenizer", "tokenizer.model"), "\u0001\u0002garbage")];
            var blocker = Write("a-file", "not a directory");
            UnwritableOutputs = [Path.Combine(blocker, "out"), blocker];
        }

        public string GoodBase { get; }
        public string GoodAdapter { get; }
        public string GoodData { get; }
        public string[] BadBases { get; }
        public string[] BadAdapters { get; }
        public string[] BadData { get; }
        public string[] BadTokenizers { get; }
        public string[] UnwritableOutputs { get; }
        public string Out(int i) => _dir.File("out-" + i);

        string Write(string name, string text)
        {
            var path = _dir.File(name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }

        string MakeDirectory(string name) => Directory.CreateDirectory(_dir.File(name)).FullName;

        static void Edit(string directory, string from, string to)
        {
            var path = Path.Combine(directory, PeftAdapterFiles.ConfigFileName);
            File.WriteAllText(path, ReplaceFirst(File.ReadAllText(path), from, to));
        }

        static string ReplaceFirst(string text, string from, string to)
        {
            var at = text.IndexOf(from, StringComparison.Ordinal);
            return at < 0 ? throw new InvalidOperationException($"'{from}' is not in the adapter config") : text[..at] + to + text[(at + from.Length)..];
        }

        public void Dispose() => _dir.Dispose();
    }

    static readonly string[] BadNumbers = ["-1", "0", "abc", "1e999", "99999999999999999999", "NaN", "", "1.5"];

    readonly Files _files = files;

    [Fact]
    public void Every_bad_invocation_exits_non_zero_with_one_paragraph_and_no_stack_trace()
    {
        var random = new Random(FuzzBudget.Seed);
        var seenExitCodes = new Dictionary<int, int>();
        for (var i = 0; i < Cases; i++)
        {
            var args = Invocation(random, i);
            var (exit, _, error) = Run(args);
            var shown = string.Join(' ', args.Select(a => a.Contains(' ') || a.Length == 0 ? $"'{a}'" : a));
            Assert.True(exit != 0, $"case {i} (seed {FuzzBudget.Seed}) succeeded although it is bad: {shown}");
            Assert.True(IsOneParagraphWithoutStackTrace(error), $"case {i} (seed {FuzzBudget.Seed}): {shown}\nprinted:\n{error}");
            Assert.True(error.Length < 4000, $"case {i}: a {error.Length}-character message is not a paragraph: {shown}");
            Assert.False(error.Contains("please report it", StringComparison.Ordinal), $"case {i}: an error of no known kind: {shown}\nprinted:\n{error}");
            seenExitCodes[exit] = seenExitCodes.GetValueOrDefault(exit) + 1;
        }
        output.WriteLine(string.Join(", ", seenExitCodes.OrderBy(kv => kv.Key).Select(kv => $"exit {kv.Key}: {kv.Value}")));
        Assert.True(seenExitCodes.ContainsKey(1) && seenExitCodes.ContainsKey(2), "both failures (1) and usage errors (2) should occur");
    }

    // One invocation with at least one fault; the other parts are good or bad at random.
    string[] Invocation(Random random, int i)
    {
        var command = new[] { "train", "eval", "generate" }[random.Next(3)];
        var faults = new List<Func<List<string>, bool>>();
        var args = new List<string> { command };
        var targetIsSetup = random.Next(2) == 0;
        var target = random.Next(12) == 0 ? Pick(random, ["Nope", "", "gpt2vocabmodel2", "../x"]) : targetIsSetup ? "Gpt2VocabLora" : "Gpt2VocabModel";
        var bad = target is not ("Gpt2VocabLora" or "Gpt2VocabModel");
        args.AddRange(["--target", target]);

        // The base: needed by setups; sometimes damaged.
        if (targetIsSetup || random.Next(2) == 0)
        {
            if (random.Next(3) == 0) { args.AddRange(["--base", Pick(random, _files.BadBases)]); bad = true; }
            else args.AddRange(["--base", _files.GoodBase]);
        }
        if (command != "train" && random.Next(3) == 0)
        {
            var damaged = random.Next(2) == 0;
            args.AddRange(["--adapter", damaged ? Pick(random, _files.BadAdapters) : _files.GoodAdapter]);
            bad |= damaged || !targetIsSetup; // an adapter on a plain model is an error too
        }
        if (command == "generate") args.AddRange(["--prompt", random.Next(10) == 0 ? "" : "The cat"]);
        else
        {
            var damaged = random.Next(2) == 0;
            args.AddRange(["--data", damaged ? Pick(random, _files.BadData) : _files.GoodData]);
            bad |= damaged;
        }
        if (random.Next(5) == 0) { args.AddRange(["--tokenizer", Pick(random, _files.BadTokenizers)]); bad = true; }
        if (command == "train")
        {
            var damaged = random.Next(4) == 0;
            args.AddRange(["--out", damaged ? Pick(random, _files.UnwritableOutputs) : _files.Out(i)]);
            bad |= damaged;
            args.AddRange(["--steps", "1", "--batch-size", "2"]);
        }
        if (random.Next(3) == 0 || !bad)
        {
            var option = command switch
            {
                "train" => Pick(random, ["--steps", "--batch-size", "--lr", "--max-length", "--checkpoint-every", "--seed", "--eos"]),
                "eval" => Pick(random, ["--batch-size", "--max-length", "--eos"]),
                _ => Pick(random, ["--max-new-tokens", "--temperature", "--seed", "--eos"]),
            };
            var value = option == "--seed" ? Pick(random, ["abc", "1e999", "99999999999999999999", ""]) : Pick(random, BadNumbers);
            // Values that happen to be valid for an option are made invalid (a learning rate of 1e20 is odd, not wrong).
            if (option is "--lr" or "--temperature" && value is "1.5" or "99999999999999999999") value = "-1.5";
            if (option is "--max-new-tokens" or "--batch-size" or "--steps" && value == "1.5") value = "-1";
            if (option == "--temperature" && value == "0") value = "-0.1";
            if (option == "--checkpoint-every" && value is "0") value = "-1";
            if (option == "--eos" && value is "0") value = "-5";
            args.AddRange([option, value]);
            bad = true;
        }
        if (random.Next(8) == 0) { args.Add(Pick(random, ["--bogus", "extra-argument", "-x"])); bad = true; }
        Assert.True(bad, "every generated invocation has a fault");
        return [.. args];
    }

    static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];
}
