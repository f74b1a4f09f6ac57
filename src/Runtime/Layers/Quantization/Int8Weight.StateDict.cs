using System.Collections.Generic;
using System.IO;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

// The state-dict names of a bitsandbytes Linear8bitLt weight (Linear8bitLt._save_to_state_dict):
//   {prefix}weight          int8 [out, in]   (CB)
//   {prefix}SCB             float32 [out]    (note: beside "weight", not under it)
//   {prefix}weight_format   uint8 scalar 0   ("row", the only layout bitsandbytes still writes)
public sealed partial class Int8Weight
{
    /// <inheritdoc/>
    /// <remarks>The tensors are new handles to this weight's storage (no copy); dispose them when done.</remarks>
    public override IReadOnlyList<KeyValuePair<string, Tensor>> ToStateDict(string prefix) =>
    [
        new(prefix + "weight", CB.alias()),
        new(prefix + "SCB", SCB.alias()),
        new(prefix + "weight_format", tensor((byte)0)),
    ];

    /// <summary>
    /// Reads the int8 weight saved under <paramref name="prefix"/>; <paramref name="dtype"/> is the dtype to dequantize
    /// to by default (bitsandbytes does not record the original one). The weight uses the given tensors' storage.
    /// </summary>
    /// <exception cref="InvalidDataException">A tensor is missing or malformed, or the layout is not "row".</exception>
    public static Int8Weight FromStateDict(IReadOnlyDictionary<string, Tensor> tensors, string prefix, ScalarType dtype = ScalarType.Float16)
    {
        if (!tensors.TryGetValue(prefix + "weight", out var cb)) throw new InvalidDataException($"'{prefix}weight' is missing from the state dict.");
        if (!tensors.TryGetValue(prefix + "SCB", out var scb)) throw new InvalidDataException($"'{prefix}SCB' is missing: '{prefix}weight' is not a bitsandbytes int8 weight.");
        if (cb.dtype != ScalarType.Int8 || cb.dim() != 2)
            throw new InvalidDataException($"'{prefix}weight' must be a 2-D int8 tensor; it is {cb.dtype} [{string.Join(", ", cb.shape)}].");
        if (scb.dtype != ScalarType.Float32 || scb.numel() != cb.shape[0])
            throw new InvalidDataException($"'{prefix}SCB' must be float32 with one value per row ({cb.shape[0]}); it is {scb.dtype} with {scb.numel()}.");
        if (tensors.TryGetValue(prefix + "weight_format", out var format))
        {
            using var cpu = format.cpu();
            var code = cpu.numel() == 1 ? cpu.to_type(ScalarType.Int64).item<long>() : -1;
            if (code != 0)
                throw new InvalidDataException(
                    $"'{prefix}weight_format' is {code}; only the row-major layout (0, \"row\") is implemented, as in current bitsandbytes.");
        }
        if (!SupportedDtypes.Contains(dtype))
            throw new System.ArgumentOutOfRangeException(nameof(dtype), dtype, "Dequantize to float32, float16 or bfloat16.");
        return new Int8Weight(cb.shape, dtype, cb.alias(), scb.alias().view(-1));
    }
}
