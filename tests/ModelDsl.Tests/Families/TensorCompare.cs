using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

internal static class TensorCompare
{
    /// <summary>Same shape and bit-for-bit the same values (TorchSharp's <c>equal</c> is element-wise).</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype) return false;
        using var same = a.eq(b).all();
        return same.item<bool>();
    }

    /// <summary>The largest absolute element-wise difference (same shapes), in double.</summary>
    public static double MaxAbsDifference(Tensor a, Tensor b)
    {
        using var difference = (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).abs().max();
        return difference.item<double>();
    }
}
