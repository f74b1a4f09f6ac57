using System.IO;

namespace ModelDsl.Tokenization;

/// <summary>
/// The one way tokenizer-file errors are worded: the file, the JSON path of the field at fault (e.g.
/// <c>model.dropout</c>, <c>pre_tokenizer.pretokenizers[0].type</c>) and the problem.
/// </summary>
internal static class TokenizerFileError
{
    public static InvalidDataException At(string file, string field, string problem) => new($"{file}: '{field}': {problem}");
}
