using ModelDsl.Tests.IO;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ModelDsl.Data;
using ModelDsl.Tests.Training.Support;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace ModelDsl.Tests.Data;

public sealed class DatasetFormatTests
{
    const string ChatJson = """[{"role":"user","content":"hi, you"},{"role":"assistant","content":"hello \"friend\""}]""";

    static readonly Example[] Expected =
    [
        new TextExample("the cat sees the sun."),
        new PromptCompletionExample("q: who, sees?", "a dog.\nyes"),
        new ChatExample([new ExampleMessage("user", "hi, you"), new ExampleMessage("assistant", "hello \"friend\"")]),
    ];

    [Fact]
    public async Task Jsonl_csv_and_parquet_load_the_same_examples()
    {
        using var dir = new TempDirectory();
        var jsonl = dir.File("d.jsonl");
        File.WriteAllLines(jsonl,
        [
            """{"text": "the cat sees the sun."}""",
            "",
            """{"prompt": "q: who, sees?", "completion": "a dog.\nyes"}""",
            "{\"messages\": " + ChatJson + "}",
        ]);
        var csv = dir.File("d.csv");
        // Quoted fields carry commas, a newline and doubled quotes.
        File.WriteAllText(csv,
            "text,prompt,completion,messages\r\n"
            + "the cat sees the sun.,,,\r\n"
            + ",\"q: who, sees?\",\"a dog.\nyes\",\r\n"
            + ",,,\"" + ChatJson.Replace("\"", "\"\"") + "\"\r\n");
        var parquet = dir.File("d.parquet");
        await WriteParquet(parquet,
            text: ["the cat sees the sun.", null, null],
            prompt: [null, "q: who, sees?", null],
            completion: [null, "a dog.\nyes", null],
            messages: [null, null, ChatJson]);

        Assert.Equal(Expected, Dataset.FromJsonl(jsonl));
        Assert.Equal(Expected, Dataset.FromCsv(csv));
        Assert.Equal(Expected, Dataset.FromParquet(parquet));
        Assert.Equal(Expected, Dataset.Load(parquet));
    }

    [Fact]
    public void Malformed_jsonl_rows_name_the_file_the_line_and_the_fault()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.jsonl");
        void Check(string badLine, string fault)
        {
            File.WriteAllLines(path, ["""{"text": "ok"}""", badLine]);
            var error = Assert.Throws<DataFormatException>(() => Dataset.FromJsonl(path));
            Assert.Equal(2, error.Row);
            Assert.Contains(path, error.Message);
            Assert.Contains("row 2", error.Message);
            Assert.Contains(fault, error.Message);
        }

        Check("""{"text": "unterminated""", "not valid JSON");
        Check("""{"prompt": "only a prompt"}""", "has \"prompt\" but no \"completion\"");
        Check("""{"text": 42}""", "\"text\" must be a string, found a number");
        Check("""{"messages": [{"role": "robot", "content": "x"}]}""", "messages[0].role is \"robot\"");
        Check("""{"messages": [{"role": "user", "content": "x"}]}""", "no assistant turn");
        Check("""{"label": "x"}""", "expected \"text\", or \"prompt\" and \"completion\", or \"messages\"; found \"label\"");
        Check("[1, 2]", "must be a JSON object");
    }

    [Fact]
    public async Task Malformed_csv_and_parquet_rows_name_the_file_and_row()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("bad.csv");
        File.WriteAllText(csv, "prompt,completion\nhello,world\nonly one field\n");
        var error = Assert.Throws<DataFormatException>(() => Dataset.FromCsv(csv));
        Assert.Contains($"{csv}, row 3", error.Message);
        Assert.Contains("has 1 fields but the header has 2", error.Message);

        File.WriteAllText(csv, "text\n\"never closed\n");
        error = Assert.Throws<DataFormatException>(() => Dataset.FromCsv(csv));
        Assert.Contains("row 2", error.Message);
        Assert.Contains("never closed", error.Message);

        var parquet = dir.File("bad.parquet");
        await WriteParquet(parquet, text: [null, null], prompt: ["a", "b"], completion: ["c", null], messages: [null, null]);
        error = Assert.Throws<DataFormatException>(() => Dataset.FromParquet(parquet));
        Assert.Equal(2, error.Row);
        Assert.Contains($"{parquet}, row 2", error.Message);
        Assert.Contains("no \"completion\"", error.Message);
    }

    static async Task WriteParquet(string path, string?[] text, string?[] prompt, string?[] completion, string?[] messages)
    {
        var fields = new[] { "text", "prompt", "completion", "messages" }.Select(n => new DataField<string>(n)).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(fields[0], text);
        await group.WriteAsync(fields[1], prompt);
        await group.WriteAsync(fields[2], completion);
        await group.WriteAsync(fields[3], messages);
    }
}
