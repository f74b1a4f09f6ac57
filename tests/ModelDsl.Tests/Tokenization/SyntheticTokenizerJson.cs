using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace ModelDsl.Tests.Tokenization;

/// <summary>
/// Small <c>tokenizer.json</c> files written by the tests to reach every option the fixtures do not use. The model is a
/// character-level BPE over a small alphabet (or GPT-2's byte alphabet) with merges that build a few words, so that
/// merging, prefixes/suffixes, unknown characters and byte fallback all happen on short random text.
/// </summary>
internal sealed class SyntheticTokenizerJson
{
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?'-_▁\n\té中😀";
    static readonly string[] Words = ["the", "and", "ing", "token", "hello", "world", "▁the", "▁a", "12", "123", "he", "ll", "llo", "oo"];

    public JsonNode? Normalizer { get; init; }
    public JsonNode? PreTokenizer { get; init; }
    public JsonNode? PostProcessor { get; init; }
    public JsonNode? Decoder { get; init; }
    public bool ByteLevel { get; init; }
    public string? Prefix { get; init; }
    public string? Suffix { get; init; }
    public string? Unk { get; init; }
    public bool FuseUnk { get; init; }
    public bool ByteFallback { get; init; }
    public bool IgnoreMerges { get; init; }
    public bool MergesAsPairs { get; init; }
    public IReadOnlyList<(string Content, bool Special, bool LStrip, bool RStrip, bool SingleWord, bool Normalized)> Added { get; init; } = [];

    public string Write(string path)
    {
        var vocab = new Dictionary<string, int>();
        void Add(string token) { if (!vocab.ContainsKey(token)) vocab[token] = vocab.Count; }
        if (Unk is not null) Add(Unk);
        var symbols = ByteLevel
            ? Enumerable.Range(0, 256).Select(b => ((char)ByteChar(b)).ToString()).ToList()
            : Alphabet.EnumerateRunes().Select(r => r.ToString()).Where(s => s != "😀" && s != "中").ToList();   // two characters left unknown
        foreach (var s in symbols)
        {
            Add(s);
            if (Prefix is not null) Add(Prefix + s);
            if (Suffix is not null) { Add(s + Suffix); if (Prefix is not null) Add(Prefix + s + Suffix); }
        }
        if (ByteFallback) for (var b = 0; b < 256; b++) Add($"<0x{b:X2}>");

        var merges = new List<(string, string)>();
        foreach (var raw in Words)
        {
            var word = ByteLevel ? raw.Replace('▁', (char)ByteChar(' ')) : raw;
            var left = word[..1];
            for (var i = 1; i < word.Length; i++)
            {
                var last = i == word.Length - 1;
                var right = (Prefix ?? "") + word[i] + (last && Suffix is not null ? Suffix : "");
                var merged = left + word[i] + (last && Suffix is not null ? Suffix : "");
                Add(left); Add(right); Add(merged);
                if (!merges.Contains((left, right))) merges.Add((left, right));
                left = merged;
            }
        }
        var added = new JsonArray();
        var nextId = vocab.Count;
        foreach (var a in Added)
            added.Add(new JsonObject
            {
                ["id"] = vocab.TryGetValue(a.Content, out var id) ? id : nextId++, ["content"] = a.Content, ["single_word"] = a.SingleWord,
                ["lstrip"] = a.LStrip, ["rstrip"] = a.RStrip, ["normalized"] = a.Normalized, ["special"] = a.Special,
            });
        var model = new JsonObject
        {
            ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = Unk, ["continuing_subword_prefix"] = Prefix, ["end_of_word_suffix"] = Suffix,
            ["fuse_unk"] = FuseUnk, ["byte_fallback"] = ByteFallback, ["ignore_merges"] = IgnoreMerges,
            ["vocab"] = new JsonObject(vocab.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["merges"] = new JsonArray(merges.Select(m => MergesAsPairs ? (JsonNode)new JsonArray(m.Item1, m.Item2) : $"{m.Item1} {m.Item2}").ToArray()),
        };
        var root = new JsonObject
        {
            ["version"] = "1.0", ["truncation"] = null, ["padding"] = null, ["added_tokens"] = added,
            ["normalizer"] = Normalizer?.DeepClone(), ["pre_tokenizer"] = PreTokenizer?.DeepClone(),
            ["post_processor"] = PostProcessor?.DeepClone(), ["decoder"] = Decoder?.DeepClone(), ["model"] = model,
        };
        System.IO.File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    static int ByteChar(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF ? b : 256 + NonPrintableIndex(b);

    static int NonPrintableIndex(int b) => Enumerable.Range(0, b).Count(x => !(x is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF));

    public static JsonNode Node(string json) => JsonNode.Parse(json)!;
}
