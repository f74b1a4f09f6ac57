using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Training.Alignment;

/// <summary>
/// The pairs at some indices as one padded batch of <c>2·B</c> rows: the chosen sequences first, then the rejected ones
/// in the same order, so one forward pass scores both (as TRL's concatenated forward does).
/// </summary>
static class PreferenceBatch
{
    public static Batch Collate(TokenizedPreferences data, IReadOnlyList<int> indices, Device? device) =>
        Batch.Collate(indices.Select(i => data[i].Chosen).Concat(indices.Select(i => data[i].Rejected)).ToList(), data.PadTokenId, device);

    /// <summary>Every sequence of <paramref name="data"/>, for the checks <see cref="DataChecks"/> makes.</summary>
    public static TokenizedDataset Sequences(TokenizedPreferences data) =>
        new(data.SelectMany(p => new[] { p.Chosen, p.Rejected }), data.PadTokenId);
}
