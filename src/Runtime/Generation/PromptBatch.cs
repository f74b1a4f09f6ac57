using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Generation;

/// <summary>Token-id rows of different lengths as one left-padded batch.</summary>
internal static class PromptBatch
{
    /// <summary>
    /// Ids <c>[B, P]</c> and padding mask <c>[B, P]</c> (1 = real), each row right-aligned behind
    /// <paramref name="padTokenId"/>s, where <c>P</c> is the longest row. Neither tensor belongs to a dispose scope.
    /// </summary>
    public static (Tensor Ids, Tensor Mask) LeftPad(IReadOnlyList<IReadOnlyList<int>> rows, int padTokenId, Device device)
    {
        var width = rows.Max(r => r.Count);
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        for (var b = 0; b < rows.Count; b++)
        {
            var offset = width - rows[b].Count;
            for (var t = 0; t < width; t++)
            {
                var real = t >= offset;
                ids[b * width + t] = real ? rows[b][t - offset] : padTokenId;
                mask[b * width + t] = real ? 1 : 0;
            }
        }
        using var scope = NewDisposeScope();
        var idTensor = tensor(ids, [rows.Count, width], dtype: ScalarType.Int64).to(device);     // (B, P)
        var maskTensor = tensor(mask, [rows.Count, width], dtype: ScalarType.Int64).to(device);  // (B, P)
        return (idTensor.DetachFromDisposeScope(), maskTensor.DetachFromDisposeScope());
    }

    /// <summary>The device of the model's first parameter (CPU when it has none or is not a module).</summary>
    public static Device DeviceOf(object model)
    {
        if (model is nn.Module module)
            foreach (var parameter in module.parameters())
                return parameter.device;
        return CPU;
    }

    /// <summary>Throws when a row is empty or longer than <paramref name="limit"/> - <paramref name="reserved"/>.</summary>
    public static void CheckFits(IReadOnlyList<IReadOnlyList<int>> rows, int reserved, long limit)
    {
        if (rows.Count == 0) throw new ArgumentException("At least one prompt is needed.", nameof(rows));
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Count == 0)
                throw new ArgumentException($"Prompt {i} encodes to no tokens; the model needs at least one token to continue from.", nameof(rows));
            if (rows[i].Count + reserved > limit)
                throw new PromptTooLongException(rows[i].Count, reserved, limit);
        }
    }
}
