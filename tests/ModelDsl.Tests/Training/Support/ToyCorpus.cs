using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;

namespace ModelDsl.Tests.Training.Support;

/// <summary>Procedurally generated sentences from a tiny grammar, seeded, so every run sees the same text.</summary>
internal static class ToyCorpus
{
    static readonly string[] Subjects = ["the cat", "a dog", "the bird", "my fox"];
    static readonly string[] Verbs = ["sees", "likes", "hears", "finds"];
    static readonly string[] Objects = ["the sun", "a tree", "the moon", "my hat"];

    public const string Alphabet = "abcdefghijklmnopqrstuvwxyz .?:";

    public static IEnumerable<string> Sentences(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
            yield return $"{Subjects[random.Next(Subjects.Length)]} {Verbs[random.Next(Verbs.Length)]} {Objects[random.Next(Objects.Length)]}.";
    }

    public static Dataset Text(int count, int seed) => new(Sentences(count, seed).Select(s => new TextExample(s)));

    public static TokenizedDataset Tokenized(int count, int seed, int maxLength = 32, bool pack = false) =>
        Text(count, seed).Tokenize(Tokenizer, new TokenizationOptions
        {
            MaxLength = maxLength, Pack = pack, EosTokenId = CharTokenizer.Eos, PadTokenId = CharTokenizer.Pad,
        });

    public static CharTokenizer Tokenizer { get; } = new(Alphabet);
}
