using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using ModelDsl.Generation;
using ModelDsl.Tokenization;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Clients;

/// <summary>
/// Enum and bool answers choose by the likelihood of their labels: an enum member's [Description] (else its name), a
/// bool's TrueLabel/FalseLabel. Each answer here is checked against the labels scored independently with the generator.
/// </summary>
public sealed class AnswerLabelTests
{
    static readonly string[] VerdictLabels = [" thumbs up", " thumbs down", " Undecided"];
    static readonly string[] VerdictNames = [" Approve", " Reject", " Undecided"];

    static int MostLikely(TextGenerator generator, string prompt, IReadOnlyList<string> candidates)
    {
        var scores = generator.ScoreContinuations(prompt, candidates);
        var best = 0;
        for (var i = 1; i < scores.Count; i++)
            if (scores[i].LogLikelihood > scores[best].LogLikelihood) best = i;
        return best;
    }

    [Fact]
    public async Task An_enum_answer_is_the_member_whose_description_is_most_likely()
    {
        var labelsAndNamesDisagree = 0;
        for (var seed = 0; seed < 8; seed++)
        {
            manual_seed(40 + seed);
            var client = new VerdictClient(new ClientTestGpt(), Tokenizers.Gpt2());
            var generator = new TextGenerator(client.Model, client.Tokenizer);
            var text = $"review number {seed}";
            var prompt = client.RenderJudge(text).Text;

            var expected = (Verdict)MostLikely(generator, prompt, VerdictLabels);
            Assert.Equal(expected, client.Judge(text));
            Assert.Equal(expected, await client.JudgeAsync(text));
            if (MostLikely(generator, prompt, VerdictNames) != (int)expected) labelsAndNamesDisagree++;
        }
        // Otherwise the test could not tell labels from names.
        Assert.True(labelsAndNamesDisagree > 0, "scoring the names chose the same member for every seed");
    }

    [Fact]
    public void A_bool_answer_scores_its_declared_labels()
    {
        var labelsAndDefaultsDisagree = 0;
        for (var seed = 0; seed < 8; seed++)
        {
            manual_seed(50 + seed);
            var client = new VerdictClient(new ClientTestGpt(), Tokenizers.Gpt2());
            var generator = new TextGenerator(client.Model, client.Tokenizer);
            var claim = $"claim number {seed} holds";
            var prompt = client.RenderCheck(claim).Text;

            var expected = MostLikely(generator, prompt, [" correct", " wrong"]) == 0;
            Assert.Equal(expected, client.Check(claim));
            if ((MostLikely(generator, prompt, [" yes", " no"]) == 0) != expected) labelsAndDefaultsDisagree++;
        }
        Assert.True(labelsAndDefaultsDisagree > 0, "scoring yes/no chose the same answer for every seed");
    }

    [Fact]
    public void An_enum_in_a_record_answer_is_written_as_System_Text_Json_writes_it()
    {
        // "a-plus" ([JsonStringEnumMemberName]) and "F" (its [Description] labels direct answers only): were the
        // schema to ask for anything else, the sampled answers naming that member would not deserialize.
        manual_seed(60);
        var client = new VerdictClient(new ClientTestGpt(), Tokenizers.Gpt2());
        var reports = Enumerable.Range(0, 24).Select(i => client.Grade($"essay {i}")).ToList();

        Assert.Contains(reports, r => r.Grade == Grade.APlus);
        Assert.Contains(reports, r => r.Grade == Grade.F);
        Assert.Contains(reports, r => r.Verdict == Verdict.Approve);
    }
}
