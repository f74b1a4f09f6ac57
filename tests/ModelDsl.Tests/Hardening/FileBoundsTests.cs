using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Models;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Peft;
using ModelDsl.Training.Checkpoints;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Sizes a hostile file claims — a Parquet footer's row count, a config's layer count and vocabulary, the length of a
/// JSON or text file or of one data row — are bounded before anything of that size is allocated, with the SDK's errors.
/// </summary>
public sealed class FileBoundsTests
{
    static long AllocatedBy(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Theory]
    [InlineData("\"n_layer\": 2", "\"n_layer\": 2000000000", "n_layer")]
    [InlineData("\"vocab_size\": 50", "\"vocab_size\": 2000000000", "vocab_size")]
    public void A_gpt2_config_with_a_huge_layer_count_or_vocabulary_at_width_one_is_refused_while_read(string field, string hostile, string name)
    {
        // Width 1 keeps the parameter count under the 1 TB limit, so only the bound on the count itself stops it.
        var json = new Gpt2Config(Layers: 2, Dim: 1, Heads: 1, Vocab: 50, Context: 4).ToJson().Replace(field, hostile);

        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<Gpt2Config>(json));

        Assert.Contains(name, error.Message);
        Assert.Contains("at most", error.Message);
    }

    [Fact]
    public void A_llama_config_with_a_huge_layer_count_is_refused_while_read()
    {
        var json = new LlamaConfig(Layers: 2, Dim: 2, Heads: 1, KvHeads: 1, Ffn: 1, Vocab: 50, Context: 4).ToJson()
            .Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 100000000");
        Assert.Contains("num_hidden_layers", Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<LlamaConfig>(json)).Message);
    }

    [Fact]
    public void An_oversized_config_json_is_refused_before_it_is_read()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        WritePadded(path, new Gpt2Config(Layers: 1, Dim: 8, Heads: 2, Vocab: 10, Context: 4).ToJson(), 17 << 20);

        ModelConfigException? error = null;
        var allocated = AllocatedBy(() => error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Load<Gpt2Config>(path)));

        Assert.Contains(path, error!.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated:N0} bytes to refuse a 17 MB config");
    }

    [Fact]
    public void An_oversized_adapter_config_is_refused_before_it_is_read()
    {
        using var dir = new TempDirectory();
        using var setup = new TinyLoraSetup(new TinyLm(), new ModelDsl.Peft.LoraSettings(2, 4));
        setup.SaveAdapter(dir.Path);
        var config = Path.Combine(dir.Path, PeftAdapterFiles.ConfigFileName);
        WritePadded(config, File.ReadAllText(config), 17 << 20);

        AdapterFormatException? error = null;
        var allocated = AllocatedBy(() => error = Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(dir.Path, "other")));

        Assert.Contains("limit", error!.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated:N0} bytes to refuse a 17 MB adapter config");
    }

    [Fact]
    public void An_oversized_trainer_state_is_refused_with_the_checkpoint_exception()
    {
        using var dir = new TempDirectory();
        var checkpoint = Directory.CreateDirectory(dir.File(CheckpointStore.NameFor(1))).FullName;
        using (var stream = File.Create(Path.Combine(checkpoint, Checkpoint.StateFile))) stream.SetLength(513L << 20); // sparse
        Assert.Contains("limit", Assert.Throws<CheckpointException>(() => Checkpoint.Load(checkpoint)).Message);
    }

    [Fact]
    public void A_jsonl_row_longer_than_the_row_limit_is_refused_naming_the_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("long.jsonl");
        File.WriteAllText(path, "{\"text\": \"short\"}\n{\"text\": \"" + new string('a', DataLimits.MaxRowChars) + "\"}\n");

        var error = Assert.Throws<DataFormatException>(() => Dataset.FromJsonl(path));

        Assert.Equal(2, error.Row);
        Assert.Contains("longer than", error.Message);
    }

    [Fact]
    public void A_csv_record_longer_than_the_row_limit_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("long.csv");
        File.WriteAllText(path, "text\n\"" + new string('a', DataLimits.MaxRowChars) + "\"\n");
        Assert.Contains("longer than", Assert.Throws<DataFormatException>(() => Dataset.FromCsv(path)).Message);
    }

    [Theory]
    [InlineData(1L << 40)]
    [InlineData(30_000_000L)]
    public async Task A_parquet_footer_claiming_more_rows_than_the_file_can_hold_is_refused(long claimed)
    {
        using var dir = new TempDirectory();
        var path = dir.File("rows.parquet");
        await WriteParquet(path, Rows);
        ClaimRows(path, Rows, claimed);

        DataFormatException? error = null;
        var allocated = AllocatedBy(() => error = Assert.Throws<DataFormatException>(() => Dataset.FromParquet(path)));

        Assert.Contains("claims", error!.Message);
        Assert.True(allocated < 64 << 20, $"allocated {allocated:N0} bytes to refuse the footer");
    }

    [Fact]
    public async Task The_footer_rewrite_the_bound_test_relies_on_leaves_an_honest_file_readable()
    {
        using var dir = new TempDirectory();
        var path = dir.File("rows.parquet");
        await WriteParquet(path, Rows);
        ClaimRows(path, Rows, Rows); // rewrites the same count: the patching itself must keep the file valid
        Assert.Equal(Rows, Dataset.FromParquet(path).Count);
    }

    // A row count whose zigzag varint (3 bytes) is distinctive in a small footer.
    const int Rows = 123_456;

    static async Task WriteParquet(string path, int rows)
    {
        var field = new DataField<string>("text");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(field, Enumerable.Repeat("a", rows).ToArray());
    }

    // Rewrites every Thrift compact varint of the row count in the footer (the file's and the row group's num_rows,
    // the column chunk's num_values) to claim another count, and fixes the footer length.
    static void ClaimRows(string path, long actual, long claimed)
    {
        var bytes = File.ReadAllBytes(path);
        var footerLength = BitConverter.ToInt32(bytes, bytes.Length - 8);
        var footerStart = bytes.Length - 8 - footerLength;
        var footer = bytes.AsSpan(footerStart, footerLength).ToArray();
        var from = Varint(actual);
        var to = Varint(claimed);
        var patched = new System.Collections.Generic.List<byte>();
        var replaced = 0;
        for (var i = 0; i < footer.Length;)
        {
            if (i + from.Length <= footer.Length && footer.AsSpan(i, from.Length).SequenceEqual(from))
            {
                patched.AddRange(to);
                i += from.Length;
                replaced++;
            }
            else patched.Add(footer[i++]);
        }
        Assert.True(replaced >= 2, $"found the row count {replaced} times in the footer");
        using var output = File.Create(path);
        output.Write(bytes, 0, footerStart);
        output.Write(patched.ToArray());
        output.Write(BitConverter.GetBytes(patched.Count));
        output.Write("PAR1"u8);
    }

    static byte[] Varint(long value)
    {
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        var result = new System.Collections.Generic.List<byte>();
        do
        {
            var b = (byte)(zigzag & 0x7f);
            zigzag >>= 7;
            result.Add(zigzag != 0 ? (byte)(b | 0x80) : b);
        } while (zigzag != 0);
        return result.ToArray();
    }

    static void WritePadded(string path, string json, int size)
    {
        using var writer = new StreamWriter(path);
        writer.Write(json);
        writer.Write(new string(' ', size - json.Length));
    }
}
