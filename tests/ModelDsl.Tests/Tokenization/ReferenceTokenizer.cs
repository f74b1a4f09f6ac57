extern alias HuggingFaceRust;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using RustTokenizer = HuggingFaceRust::Tokenizers.DotNet.Tokenizer;

namespace ModelDsl.Tests.Tokenization;

/// <summary>
/// The Rust Hugging Face <c>tokenizers</c> library (0.22, through the Tokenizers.DotNet package) as the reference.
/// That package always encodes with <c>add_special_tokens=true</c> and decodes with <c>skip_special_tokens=true</c>,
/// so the other two meanings come from copies of the same <c>tokenizer.json</c> changed in one field each:
/// <list type="bullet">
/// <item>encoding without special tokens: <c>post_processor</c> set to null. In the Rust library the post-processor is
/// the only step that adds special tokens, and with none it only concatenates the encoding — the same ids as
/// <c>add_special_tokens=false</c> gives (TemplateProcessing then adds nothing; ByteLevel never changes ids).</item>
/// <item>decoding with special tokens kept: every added token's <c>special</c> flag set to false. Decoding consults the
/// flag only to skip tokens, so nothing is skipped and everything else is unchanged.</item>
/// </list>
/// </summary>
internal sealed class ReferenceTokenizer
{
    readonly RustTokenizer _withSpecials, _withoutSpecials, _keepingSpecials;

    ReferenceTokenizer(string original, string noPostProcessor, string noSpecialFlags)
    {
        _withSpecials = new RustTokenizer(original);
        _withoutSpecials = new RustTokenizer(noPostProcessor);
        _keepingSpecials = new RustTokenizer(noSpecialFlags);
    }

    /// <summary>Loads <paramref name="tokenizerJson"/>, writing its two variants into <paramref name="workDirectory"/> once.</summary>
    public static ReferenceTokenizer Load(string tokenizerJson, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var noPostProcessor = Path.Combine(workDirectory, "no-post-processor.json");
        var noSpecialFlags = Path.Combine(workDirectory, "no-special-flags.json");
        var stamp = Path.Combine(workDirectory, ".source");
        var source = $"{Path.GetFullPath(tokenizerJson)} {new FileInfo(tokenizerJson).Length} {File.GetLastWriteTimeUtc(tokenizerJson):O}";
        if (!File.Exists(stamp) || File.ReadAllText(stamp) != source)
        {
            var json = JsonNode.Parse(File.ReadAllText(tokenizerJson))!;
            json["post_processor"] = null;
            File.WriteAllText(noPostProcessor, json.ToJsonString());
            json = JsonNode.Parse(File.ReadAllText(tokenizerJson))!;
            foreach (var token in json["added_tokens"]!.AsArray()) token!["special"] = false;
            File.WriteAllText(noSpecialFlags, json.ToJsonString());
            File.WriteAllText(stamp, source);
        }
        return new ReferenceTokenizer(tokenizerJson, noPostProcessor, noSpecialFlags);
    }

    /// <summary>For a small tokenizer written by a test: the same, in a fresh temporary directory.</summary>
    public static ReferenceTokenizer LoadSmall(string tokenizerJson) =>
        Load(tokenizerJson, Path.Combine(Path.GetDirectoryName(tokenizerJson)!, "reference-" + Guid.NewGuid().ToString("N")));

    public int[] Encode(string text, bool addSpecialTokens) =>
        (addSpecialTokens ? _withSpecials : _withoutSpecials).Encode(text).Select(id => (int)id).ToArray();

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens) =>
        (skipSpecialTokens ? _withSpecials : _keepingSpecials).Decode(ids.Select(id => (uint)id).ToArray());
}
