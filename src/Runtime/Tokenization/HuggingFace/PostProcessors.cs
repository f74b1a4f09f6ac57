using System.Collections.Generic;

namespace ModelDsl.Tokenization;

/// <summary>A <c>post_processor</c> of <c>tokenizer.json</c>, run on a single sequence's ids.</summary>
internal interface IPostProcessorStep
{
    List<int> Process(List<int> ids, bool addSpecialTokens);
}

/// <summary><c>ByteLevel</c> as a post-processor only trims offsets; ids are unchanged.</summary>
internal sealed class ByteLevelPostProcessor : IPostProcessorStep
{
    public List<int> Process(List<int> ids, bool addSpecialTokens) => ids;
}

/// <summary><c>Sequence</c>: each processor on the output of the previous one.</summary>
internal sealed class SequencePostProcessor(IReadOnlyList<IPostProcessorStep> steps) : IPostProcessorStep
{
    public IReadOnlyList<IPostProcessorStep> Steps => steps;

    public List<int> Process(List<int> ids, bool addSpecialTokens)
    {
        foreach (var step in steps) ids = step.Process(ids, addSpecialTokens);
        return ids;
    }
}

/// <summary>One piece of a template: the sequence itself (<see cref="SpecialIds"/> null) or a special token's ids.</summary>
internal sealed record TemplatePiece(string Name, IReadOnlyList<int>? SpecialIds);

/// <summary>
/// <c>TemplateProcessing</c> for a single sequence: the pieces of its <c>single</c> template in order, the special ones
/// only when special tokens are added.
/// </summary>
internal sealed class TemplatePostProcessor(IReadOnlyList<TemplatePiece> single) : IPostProcessorStep
{
    public IReadOnlyList<TemplatePiece> Single => single;

    public List<int> Process(List<int> ids, bool addSpecialTokens)
    {
        var result = new List<int>(ids.Count + 2);
        foreach (var piece in single)
            if (piece.SpecialIds is null) result.AddRange(ids);
            else if (addSpecialTokens) result.AddRange(piece.SpecialIds);
        return result;
    }
}
