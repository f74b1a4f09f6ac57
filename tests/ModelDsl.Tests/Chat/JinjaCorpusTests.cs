using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelDsl.Chat;
using Xunit;

namespace ModelDsl.Tests.Chat;

/// <summary>Every template of <see cref="JinjaCorpus"/> renders exactly as jinja2 renders it in transformers' environment.</summary>
public sealed class JinjaCorpusTests(JinjaCorpusTests.Reference reference) : IClassFixture<JinjaCorpusTests.Reference>
{
    /// <summary>jinja2's results for the whole corpus, computed in one Python call.</summary>
    public sealed class Reference
    {
        public Reference()
        {
            var cases = JinjaCorpus.Cases.Select(c => new JsonObject
            {
                ["template"] = c.Template,
                ["variables"] = JsonNode.Parse(c.Variables),
            });
            var results = JinjaReference.Render(cases);
            Results = JinjaCorpus.Cases.Select((c, i) => (c.Name, Result: results[i])).ToDictionary(x => x.Name, x => x.Result);
        }

        public IReadOnlyDictionary<string, JsonObject> Results { get; }
    }

    public static TheoryData<string> Names => new(JinjaCorpus.Cases.Select(c => c.Name));

    [Fact]
    public void Corpus_names_are_unique() =>
        Assert.Equal(JinjaCorpus.Cases.Count, JinjaCorpus.Cases.Select(c => c.Name).Distinct().Count());

    [Theory]
    [MemberData(nameof(Names))]
    public void Renders_like_jinja2(string name)
    {
        var (_, template, variables) = JinjaCorpus.Cases.Single(c => c.Name == name);
        var ours = Outcome.Of(() =>
        {
            var parsed = new ChatTemplate(template) { Clock = () => JinjaReference.Now };
            using var json = JsonDocument.Parse(variables);
            var values = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
            return parsed.RenderVariables(values);
        });
        ReferenceComparison.AssertSame(reference.Results[name], ours, $"template {name}: {template}");
    }
}
