using System.Linq;
using System.Threading.Tasks;
using ModelDsl.Generation;
using ModelDsl.Generation.Structured;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generation.Structured;

/// <summary>
/// Where the model already answers with valid JSON of the schema, the constraint changes nothing: a tiny GPT-2 is
/// taught a few answers, and its unconstrained greedy output (checked to be valid first) equals the constrained one.
/// </summary>
public sealed class ConstrainedGreedyTests
{
    const int EndOfText = 50256;

    static readonly (string Prompt, string Answer)[] Taught =
    [
        ("Person 1:", """{"Name":"Zoë \"Z\" Ng","Age":31,"Home":{"Street":"1 Rue Noël","City":"Nantes","PostalCode":44000},"Tags":["a\\b"],"Active":true}"""),
        ("Person 22:", """{"Name":"Bob","Age":7,"Height":1.25,"Home":{"Street":"Elm","City":"Oslo","PostalCode":null},"Tags":[],"Active":false}"""),
    ];

    static Gpt2LMHeadModel TrainedModel()
    {
        var tokenizer = Tokenizers.Gpt2();
        manual_seed(11);
        var model = new Gpt2LMHeadModel(new Gpt2Config(Layers: 2, Dim: 64, Heads: 4, Vocab: 50257, Context: 128));
        var sequences = Taught.Select(t => tokenizer.EncodeToIds(t.Prompt).Concat(tokenizer.EncodeToIds(t.Answer)).Append(EndOfText).Select(i => (long)i).ToArray()).ToArray();
        model.train();
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-2);
        for (var step = 0; step < 60; step++)
            foreach (var sequence in sequences)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var ids = tensor(sequence, [1, sequence.Length]);                          // (1, T)
                var logits = model.Forward(ids[.., ..^1]);                                 // (1, T-1, V)
                var loss = nn.functional.cross_entropy(logits.reshape(-1, 50257), ids[0, 1..]);
                loss.backward();
                optimizer.step();
            }
        model.eval();
        return model;
    }

    [Fact]
    public void Constrained_greedy_equals_unconstrained_greedy_when_the_model_already_answers_validly()
    {
        using var model = TrainedModel();
        var generator = new TextGenerator(model, Tokenizers.Gpt2());
        var constraint = JsonSchemaConstraint.Parse(StructuredRecords.PersonSchema);
        var validator = new SchemaValidator(StructuredRecords.PersonSchema);
        var prompts = Taught.Select(t => t.Prompt).ToArray();
        var free = new GenerationOptions { MaxNewTokens = 100, EndOfSequenceTokenId = EndOfText };
        var unconstrained = generator.Generate(prompts, free);
        for (var i = 0; i < Taught.Length; i++)
        {
            // The case holds: the model alone writes the taught, valid answer and ends it.
            Assert.Equal(Taught[i].Answer, unconstrained[i].Text);
            Assert.True(validator.IsValid(unconstrained[i].Text));
            Assert.Equal(FinishReason.EndOfSequence, unconstrained[i].FinishReason);
        }
        foreach (var useCache in new[] { true, false })
        {
            var constrained = generator.Generate(prompts, free with { ResponseConstraint = constraint, UseCache = useCache });
            for (var i = 0; i < Taught.Length; i++)
            {
                Assert.Equal(unconstrained[i].TokenIds, constrained[i].TokenIds);
                Assert.Equal(unconstrained[i].Text, constrained[i].Text);
                Assert.Equal(unconstrained[i].FinishReason, constrained[i].FinishReason);
            }
            var alone = generator.Generate(prompts[1], free with { ResponseConstraint = constraint, UseCache = useCache });
            Assert.Equal(unconstrained[1].TokenIds, alone.TokenIds);
        }
        var streamed = string.Concat(generator.StreamAsync(prompts[0], free with { ResponseConstraint = constraint }).ToBlockingEnumerable());
        Assert.Equal(Taught[0].Answer, streamed);
    }
}
