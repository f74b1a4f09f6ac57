using ModelDsl.Tests.IO;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Tests.Training.Support;
using Xunit;

namespace ModelDsl.Tests.Training;

public sealed class ReportingTests
{
    [Fact]
    public void Redirected_output_is_plain_lines_and_the_run_leaves_metrics_and_a_loss_curve()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 15);
        var eval = ToyCorpus.Tokenized(8, seed: 16);
        using var model = TestRuns.Model();
        var log = new StringWriter();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(6) with { LogEvery = 3, EvalEvery = 3, OutputDir = dir.Path }, log);

        var result = trainer.Fit(train, eval);

        var lines = log.ToString().Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.DoesNotContain(lines, l => l.Contains('\u001b')); // no terminal escape codes
        Assert.StartsWith("training: 6 steps", lines[0]);
        Assert.Equal(["step 1/6", "step 3/6", "step 6/6"], lines.Where(l => l.StartsWith("step ")).Select(l => l[..8]).ToArray());
        Assert.Contains(lines, l => l.StartsWith("step 3/6") && l.Contains("loss ") && l.Contains("tok/s") && l.Contains("eta"));
        Assert.Equal(2, lines.Count(l => l.StartsWith("eval  step")));
        Assert.Contains(lines, l => l.StartsWith("final eval loss") && l.Contains(result.Evaluations[^1].Loss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)));

        var records = File.ReadAllLines(Path.Combine(dir.Path, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(6, records.Count(r => r.GetProperty("type").GetString() == "train"));
        Assert.Equal(2, records.Count(r => r.GetProperty("type").GetString() == "eval"));
        var firstStep = records.First(r => r.GetProperty("type").GetString() == "train");
        Assert.Equal(result.Steps[0].Loss, firstStep.GetProperty("loss").GetDouble());

        var png = File.ReadAllBytes(Path.Combine(dir.Path, "loss.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.True(png.Length > 1000);
    }
}

public sealed class TerminalReportingTests
{
    [Fact]
    public void A_terminal_gets_a_live_progress_bar_and_a_summary_table()
    {
        var train = ToyCorpus.Tokenized(16, seed: 17);
        using var model = TestRuns.Model();
        var screen = new StringWriter();
        var terminal = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.Yes,
            Interactive = Spectre.Console.InteractionSupport.Yes,
            Out = new Spectre.Console.AnsiConsoleOutput(screen),
        });
        using var trainer = new ModelDsl.Training.Trainer(model, TestRuns.Options(4)) { Terminal = terminal };

        var result = trainer.Fit(train);

        var text = screen.ToString();
        Assert.Contains("\u001b[", text);                           // drawn with terminal control codes
        Assert.Contains("step 4/4 loss", text);                     // the bar's description tracks the step and loss
        Assert.Contains("tok/s", text);
        Assert.Contains("Training summary", text);
        Assert.Contains(result.LossHistory[^1].ToString("F4", System.Globalization.CultureInfo.InvariantCulture), text);
    }
}
