using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using ModelDsl.Chat;
using Xunit;

namespace ModelDsl.Tests.Chat;

/// <summary>
/// Whitespace control is where template engines drift apart, so beyond the hand-written corpus, random templates
/// (fixed seed) mixing text full of spaces, tabs and newlines with blocks, prints, comments and raw sections, under
/// every combination of <c>-</c>/<c>+</c> markers, must render exactly as jinja2 renders them.
/// </summary>
public sealed class WhitespaceFuzzTests
{
    static readonly string[] Texts = ["", " ", "  ", "\t", "\n", "\n\n", " \n ", "\n  ", "a", "b c", "\n  x", "y  \n", " \t\n\t "];

    static List<string> Generate(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Body(random, depth: 0)).ToList();
    }

    static string Body(Random random, int depth)
    {
        var sb = new StringBuilder();
        var pieces = random.Next(1, 7);
        for (var i = 0; i < pieces; i++)
        {
            switch (random.Next(depth < 2 ? 7 : 4))
            {
                case 0 or 1: sb.Append(Texts[random.Next(Texts.Length)]); break;
                case 2: sb.Append("{{").Append(Pick(random, "", "-", "+")).Append(" 'p' ").Append(Pick(random, "", "-")).Append("}}"); break;
                case 3: sb.Append("{#").Append(Pick(random, "", "-", "+")).Append(" c ").Append(Pick(random, "", "-", "+")).Append("#}"); break;
                case 4:
                    sb.Append(Tag(random, "if true")).Append(Body(random, depth + 1));
                    if (random.Next(2) == 0) sb.Append(Tag(random, "else")).Append(Body(random, depth + 1));
                    sb.Append(Tag(random, "endif"));
                    break;
                case 5: sb.Append(Tag(random, "for i in [1, 2]")).Append(Body(random, depth + 1)).Append(Tag(random, "endfor")); break;
                // jinja2 reads "{% raw +%}" as an unknown tag, so the raw start never gets a plus.
                default: sb.Append(Tag(random, "raw", endSigns: ["", "-"])).Append(Texts[random.Next(Texts.Length)]).Append("{{ x }}").Append(Texts[random.Next(Texts.Length)]).Append(Tag(random, "endraw")); break;
            }
        }
        return sb.ToString();
    }

    static string Tag(Random random, string body, string[]? endSigns = null) =>
        "{%" + Pick(random, "", "-", "+") + " " + body + " " + Pick(random, endSigns ?? ["", "-", "+"]) + "%}";

    static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    [Fact]
    public void Random_whitespace_heavy_templates_render_like_jinja2()
    {
        var templates = Generate(count: 300, seed: 20240726);
        var reference = JinjaReference.Render(templates.Select(t => new JsonObject { ["template"] = t, ["variables"] = new JsonObject() }));
        var failures = new List<string>();
        for (var i = 0; i < templates.Count; i++)
        {
            var ours = Outcome.Of(() => new ChatTemplate(templates[i]).RenderVariables(new Dictionary<string, object?>()));
            try { ReferenceComparison.AssertSame(reference[i], ours, $"template #{i} {JsonValue.Create(templates[i])!.ToJsonString()}"); }
            catch (Xunit.Sdk.XunitException e) { failures.Add(e.Message); }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {templates.Count} differ; first: {failures.FirstOrDefault()}");
        // The generator must mostly produce templates jinja2 accepts, or the comparison would prove little.
        var rejected = reference.Where(r => !r["ok"]!.GetValue<bool>()).ToList();
        Assert.True(rejected.Count < templates.Count / 10, $"jinja2 rejected {rejected.Count} templates, e.g. {rejected.FirstOrDefault()}");
    }
}
