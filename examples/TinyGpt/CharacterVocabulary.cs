using System;
using System.Collections.Generic;
using System.Linq;

namespace TinyGptExample;

/// <summary>One token per distinct character of the training text.</summary>
public sealed class CharacterVocabulary
{
    readonly char[] _characters;
    readonly Dictionary<char, long> _ids;

    public CharacterVocabulary(string text, int capacity)
    {
        _characters = text.Distinct().OrderBy(c => c).ToArray();
        if (_characters.Length > capacity)
            throw new ArgumentException($"The text has {_characters.Length} distinct characters but the model's vocabulary holds {capacity}.");
        _ids = _characters.Select((c, i) => (c, (long)i)).ToDictionary(p => p.c, p => p.Item2);
    }

    public int Count => _characters.Length;

    public long[] Encode(string text) => text.Select(c => _ids[c]).ToArray();

    public string Decode(IEnumerable<long> ids) => new(ids.Select(i => _characters[i]).ToArray());
}
