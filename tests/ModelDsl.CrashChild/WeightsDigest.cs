using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.CrashChild;

/// <summary>A SHA-256 over every parameter's name and raw bytes: equal digests mean bit-identical weights.</summary>
internal static class WeightsDigest
{
    public static string Of(nn.Module model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, parameter) in model.named_parameters())
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            using var cpu = parameter.detach().cpu().contiguous();
            hash.AppendData(cpu.bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    public static string Summary(nn.Module model)
    {
        var parameters = model.named_parameters().ToList();
        var count = parameters.Sum(p => p.parameter.numel());
        using var scope = NewDisposeScope();
        var sum = parameters.Sum(p => p.parameter.detach().to(ScalarType.Float64).sum().item<double>());
        return $"{parameters.Count} tensors, {count} parameters, sum {sum:R}";
    }
}
