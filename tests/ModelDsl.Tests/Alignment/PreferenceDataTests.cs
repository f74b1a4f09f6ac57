using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ChatTemplate = ModelDsl.Chat.ChatTemplate;
using ModelDsl.Data;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Training.Support;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace ModelDsl.Tests.Alignment;

public sealed class PreferenceDataTests
{
    const string Conversation = """[{"role":"system","content":"be brief"},{"role":"user","content":"who, sees?"}]""";

    static readonly PreferenceExample[] Expected =
    [
        new TextPreference("the cat sees", " the sun.", " a tree."),
        new ChatPreference([new ExampleMessage("system", "be brief"), new ExampleMessage("user", "who, sees?")], "a dog.\nyes", "my fox"),
    ];

    [Fact]
    public async Task Jsonl_csv_and_parquet_rows_give_the_same_preferences()
    {
        using var dir = new TempDirectory();
        var jsonl = dir.File("p.jsonl");
        File.WriteAllLines(jsonl,
        [
            """{"prompt": "the cat sees", "chosen": " the sun.", "rejected": " a tree."}""",
            // TRL's conversational form: the prompt as turns, the answers as one assistant turn each.
            $$"""{"prompt": {{Conversation}}, "chosen": [{"role":"assistant","content":"a dog.\nyes"}], "rejected": [{"role":"assistant","content":"my fox"}]}""",
        ]);
        var csv = dir.File("p.csv");
        File.WriteAllText(csv, "prompt,messages,chosen,rejected\n"
            + "the cat sees,, the sun., a tree.\n"
            + $",\"{Conversation.Replace("\"", "\"\"")}\",\"a dog.\nyes\",my fox\n");
        var parquet = dir.File("p.parquet");
        await WriteParquet(parquet, ["the cat sees", null], [null, Conversation], [" the sun.", "a dog.\nyes"], [" a tree.", "my fox"]);

        Assert.Equal(Expected, PreferenceDataset.FromJsonl(jsonl));
        Assert.Equal(Expected, PreferenceDataset.FromCsv(csv));
        Assert.Equal(Expected, PreferenceDataset.FromParquet(parquet));
        Assert.Equal(Expected, PreferenceDataset.Load(parquet));
    }

    [Theory]
    [InlineData("""{"prompt": "p", "chosen": "a"}""", "no \"rejected\"")]
    [InlineData("""{"prompt": "p", "rejected": "a"}""", "no \"chosen\"")]
    [InlineData("""{"chosen": "a", "rejected": "b"}""", "no \"prompt\" or \"messages\"")]
    [InlineData("""{"prompt": "p", "chosen": "", "rejected": "b"}""", "\"chosen\" is empty")]
    [InlineData("""{"prompt": "p", "chosen": 3, "rejected": "b"}""", "\"chosen\" must be a string, found a number")]
    [InlineData("""{"messages": [{"role":"user","content":"q"},{"role":"assistant","content":"a"}], "chosen": "a", "rejected": "b"}""", "ends with an assistant turn")]
    [InlineData("""{"prompt": [{"role":"user","content":"q"}], "chosen": [{"role":"user","content":"a"}], "rejected": "b"}""", "exactly one assistant turn")]
    [InlineData("""{"prompt": [{"role":"wizard","content":"q"}], "chosen": "a", "rejected": "b"}""", "prompt[0].role is \"wizard\"")]
    [InlineData("""["prompt"]""", "must be a JSON object")]
    public void Malformed_jsonl_preference_rows_name_the_file_the_row_and_the_fault(string badLine, string fault)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.jsonl");
        File.WriteAllLines(path, ["""{"prompt": "p", "chosen": "a", "rejected": "b"}""", "", badLine]);
        var error = Assert.Throws<DataFormatException>(() => PreferenceDataset.FromJsonl(path));
        Assert.Equal(path, error.File);
        Assert.Equal(3, error.Row);
        Assert.StartsWith($"{path}, row 3: ", error.Message);
        Assert.Contains(fault, error.Message);
    }

    [Fact]
    public async Task Malformed_csv_and_parquet_preference_rows_name_the_file_and_the_row()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("bad.csv");
        File.WriteAllText(csv, "prompt,chosen,rejected\np,a,b\n\"multi\nline\",a,\n");
        var error = Assert.Throws<DataFormatException>(() => PreferenceDataset.FromCsv(csv));
        Assert.Equal(3, error.Row);   // the record starts on line 3
        Assert.Contains($"{csv}, row 3", error.Message);
        Assert.Contains("no \"rejected\"", error.Message);

        var parquet = dir.File("bad.parquet");
        await WriteParquet(parquet, ["p", "q"], [null, "not json"], ["a", "a"], ["b", "b"]);
        error = Assert.Throws<DataFormatException>(() => PreferenceDataset.FromParquet(parquet));
        Assert.Equal(2, error.Row);
        Assert.Contains($"{parquet}, row 2", error.Message);
        Assert.Contains("\"messages\" is not valid JSON", error.Message);
    }

    [Fact]
    public void Text_pairs_score_only_answer_tokens_and_keep_the_end_when_truncated()
    {
        var tokenizer = ToyCorpus.Tokenizer;
        var data = new PreferenceDataset([new TextPreference("the cat sees", " the sun.", " a tree.")]);
        var pair = data.Tokenize(tokenizer, new() { EosTokenId = CharTokenizer.Eos, PadTokenId = CharTokenizer.Pad })[0];

        int[] Ids(string s) => tokenizer.EncodeToIds(s).ToArray();
        Assert.Equal([.. Ids("the cat sees the sun."), CharTokenizer.Eos], pair.Chosen.Ids);
        Assert.Equal([.. Ids("the cat sees a tree."), CharTokenizer.Eos], pair.Rejected.Ids);
        // The prompt's 12 characters are context; " the sun." and the end token are scored.
        Assert.Equal(Enumerable.Repeat(TokenizedSequence.Ignore, 12).Concat(Ids(" the sun.")).Append(CharTokenizer.Eos), pair.Chosen.Labels);

        var cut = data.Tokenize(tokenizer, new() { MaxLength = 12 });
        Assert.Equal(1, cut.TruncatedPairs);
        Assert.Equal(Ids("sees the sun."[1..]), cut[0].Chosen.Ids);   // the last 12 tokens: the prompt's start went first
        Assert.Equal(Ids(" the sun."), cut[0].Chosen.Labels.Where(l => l != TokenizedSequence.Ignore));
    }

    [Fact]
    public void Chat_pairs_render_with_the_chat_template_and_score_only_the_assistant_answer()
    {
        // A ChatML-style template: the generation prompt opens the assistant turn, the answer closes it.
        var template = new ChatTemplate(
            "{% for m in messages %}<{{ m.role }}>{{ m.content }}.{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}");
        var tokenizer = new CharTokenizer("abcdefghijklmnopqrstuvwxyz <>.?");
        var data = new PreferenceDataset([new ChatPreference([new ExampleMessage("user", "who")], "a dog", "my fox")]);

        var pair = data.Tokenize(tokenizer, new() { ChatTemplate = template })[0];

        Assert.Equal("<user>who.<assistant>a dog.", tokenizer.Decode(pair.Chosen.Ids));
        Assert.Equal("a dog.", tokenizer.Decode(pair.Chosen.Labels.Where(l => l != TokenizedSequence.Ignore)));
        Assert.Equal("my fox.", tokenizer.Decode(pair.Rejected.Labels.Where(l => l != TokenizedSequence.Ignore)));
        var error = Assert.Throws<System.ArgumentException>(() => data.Tokenize(tokenizer));
        Assert.Contains("ChatTemplate is not set", error.Message);
    }

    static async Task WriteParquet(string path, string?[] prompt, string?[] messages, string?[] chosen, string?[] rejected)
    {
        var fields = new[] { "prompt", "messages", "chosen", "rejected" }.Select(n => new DataField<string>(n)).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(fields[0], prompt);
        await group.WriteAsync(fields[1], messages);
        await group.WriteAsync(fields[2], chosen);
        await group.WriteAsync(fields[3], rejected);
    }
}
