using System.Collections.Generic;
using System.IO;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

// The state-dict names of a bitsandbytes 4-bit weight, as Linear4bit._save_to_state_dict writes them
// (weight, then QuantState.as_dict(packed=True) under "weight."):
//   {prefix}weight                                   uint8 [⌈n/2⌉, 1]
//   {prefix}weight.absmax                            float32 [blocks] (uint8 when double-quantized)
//   {prefix}weight.quant_map                         float32 [16]
//   {prefix}weight.nested_absmax                     float32 [⌈blocks/256⌉]    (double quantization only)
//   {prefix}weight.nested_quant_map                  float32 [256]             (double quantization only)
//   {prefix}weight.quant_state.bitsandbytes__nf4     uint8 JSON: quant_type, blocksize, dtype, shape (+ nested_*)
public sealed partial class Nf4Weight
{
    /// <summary>The key suffix of the packed quant state of an NF4 weight.</summary>
    public const string PackedStateKey = "weight.quant_state.bitsandbytes__nf4";

    /// <inheritdoc/>
    /// <remarks>The tensors are new handles to this weight's storage (no copy); dispose them when done.</remarks>
    public override IReadOnlyList<KeyValuePair<string, Tensor>> ToStateDict(string prefix)
    {
        var fields = new QuantStateFields("nf4", BlockSize, DType, [.. Shape],
            Nested?.BlockSize, Nested is null ? null : ScalarType.Float32, Nested?.Offset);
        var entries = new List<KeyValuePair<string, Tensor>>
        {
            new(prefix + "weight", Packed.alias()),
            new(prefix + "weight.absmax", Absmax.alias()),
            new(prefix + "weight.quant_map", QuantMap.alias()),
        };
        if (Nested is not null)
        {
            entries.Add(new(prefix + "weight.nested_absmax", Nested.Absmax.alias()));
            entries.Add(new(prefix + "weight.nested_quant_map", Nested.QuantMap.alias()));
        }
        entries.Add(new(prefix + PackedStateKey, PackedQuantState.Pack(fields)));
        return entries;
    }

    /// <summary>
    /// Reads the NF4 weight saved under <paramref name="prefix"/> (names as <see cref="ToStateDict"/> lists them),
    /// checking every size against the quant state. The weight uses the given tensors' storage (no copy). FP4, other
    /// storage dtypes and unknown quant-state fields are refused by name.
    /// </summary>
    /// <exception cref="InvalidDataException">A tensor is missing, has the wrong dtype or size, or the state is not NF4.</exception>
    public static Nf4Weight FromStateDict(IReadOnlyDictionary<string, Tensor> tensors, string prefix)
    {
        var stateKey = prefix + PackedStateKey;
        if (!tensors.ContainsKey(stateKey))
        {
            if (tensors.ContainsKey(prefix + "weight.quant_state.bitsandbytes__fp4"))
                throw new InvalidDataException($"'{prefix}weight' is quantized to FP4; only NF4 is implemented.");
            throw new InvalidDataException($"'{stateKey}' is missing: '{prefix}weight' is not a bitsandbytes NF4 weight.");
        }
        var fields = PackedQuantState.Unpack(tensors[stateKey], stateKey);
        if (fields.QuantType != "nf4")
            throw new InvalidDataException($"'{stateKey}' says quant_type '{fields.QuantType}'; only nf4 is implemented.");
        if (!BlockSizes.Contains(fields.BlockSize))
            throw new InvalidDataException($"'{stateKey}' has blocksize {fields.BlockSize}; bitsandbytes uses one of {string.Join(", ", BlockSizes)}.");
        if (fields.Shape.Length == 0 || fields.Shape.Any(d => d < 1))
            throw new InvalidDataException($"'{stateKey}' has shape [{string.Join(", ", fields.Shape)}]; every dimension must be positive.");
        var count = fields.Shape.Aggregate(1L, (a, b) => a * b);
        var blocks = (count + fields.BlockSize - 1) / fields.BlockSize;
        var nested = fields.NestedBlockSize is not null;

        var packed = Expect(tensors, prefix + "weight", ScalarType.Byte, (count + 1) / 2,
            "(bitsandbytes quant_storage other than uint8 is not implemented)");
        var absmax = Expect(tensors, prefix + "weight.absmax", nested ? ScalarType.Byte : ScalarType.Float32, blocks);
        var quantMap = Expect(tensors, prefix + "weight.quant_map", ScalarType.Float32, 16);
        NestedScales? nestedScales = null;
        if (nested)
        {
            var nestedBlockSize = fields.NestedBlockSize!.Value;
            if (nestedBlockSize < 1) throw new InvalidDataException($"'{stateKey}' has nested_blocksize {nestedBlockSize}; it must be positive.");
            if (fields.NestedDType != ScalarType.Float32)
                throw new InvalidDataException($"'{stateKey}' has nested_dtype {fields.NestedDType}; bitsandbytes' nested scales are float32.");
            var nestedAbsmax = Expect(tensors, prefix + "weight.nested_absmax", ScalarType.Float32, (blocks + nestedBlockSize - 1) / nestedBlockSize);
            var nestedMap = Expect(tensors, prefix + "weight.nested_quant_map", ScalarType.Float32, 256);
            nestedScales = new NestedScales(nestedAbsmax.alias(), nestedMap.alias(), fields.NestedOffset!.Value, nestedBlockSize);
        }
        return new Nf4Weight(fields.Shape, fields.DType, fields.BlockSize,
            packed.alias().view(-1, 1), absmax.alias().view(-1), quantMap.alias().view(-1), nestedScales);
    }

    static Tensor Expect(IReadOnlyDictionary<string, Tensor> tensors, string key, ScalarType dtype, long count, string hint = "")
    {
        if (!tensors.TryGetValue(key, out var value))
            throw new InvalidDataException($"'{key}' is missing from the state dict.");
        if (value.dtype != dtype)
            throw new InvalidDataException($"'{key}' is {value.dtype}; a bitsandbytes NF4 weight stores it as {dtype} {hint}".TrimEnd() + ".");
        if (value.numel() != count)
            throw new InvalidDataException($"'{key}' has {value.numel()} values; the quant state's shape needs {count}.");
        return value;
    }
}
