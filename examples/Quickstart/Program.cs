// The ModelDsl quickstart: pretrain a tiny GPT-2 on a generated world, try prompting, then fine-tune it with every
// method and compare. Usage: dotnet run --project examples/Quickstart [-- --seed N] [--output DIR] [--check]
using System;
using System.Linq;
using Quickstart;

var seed = args.SkipWhile(a => a != "--seed").Skip(1).Select(int.Parse).DefaultIfEmpty(1).First();
if (args.Contains("--check")) return Checks.Run(new[] { 1, 2, 3 }.Select(s => QuickstartOptions.ForSeed(s)), Console.Out);
var output = args.SkipWhile(a => a != "--output").Skip(1).FirstOrDefault();
var options = QuickstartOptions.ForSeed(seed, output);
var clock = System.Diagnostics.Stopwatch.StartNew();
var report = QuickstartRun.Run(options, Console.Out);
Report.Show(report, options.OutputDir);
Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:F0} s; outputs in {options.OutputDir}");
return 0;
