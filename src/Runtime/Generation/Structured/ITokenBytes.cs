namespace ModelDsl.Generation.Structured;

/// <summary>
/// The byte strings behind a tokenizer's ids, which structured output needs to know which tokens may come next.
/// Implement it (or register a factory with <see cref="TokenBytes.Register{TTokenizer}"/>) to plug in another
/// tokenizer kind.
/// </summary>
public interface ITokenBytes
{
    /// <summary>Ids run from 0 to <c>Count - 1</c>.</summary>
    int Count { get; }

    /// <summary>Whether <paramref name="id"/> is a special or control token (never produced inside a constrained value), or unused.</summary>
    bool IsSpecialToken(int id);

    /// <summary>The bytes that decoding <paramref name="id"/> appends to the output (only asked for ids that are not special).</summary>
    byte[] GetTokenBytes(int id);
}
