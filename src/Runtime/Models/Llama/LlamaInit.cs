using TorchSharp;
using static TorchSharp.torch;
using ModelDsl.Layers;

namespace ModelDsl.Models;

/// <summary>Hugging Face's Llama initialisation: every projection and embedding N(0, 0.02), no biases.</summary>
internal static class LlamaInit
{
    public const double Std = 0.02;

    public static Layers.Linear Linear(long inFeatures, long outFeatures, Device? device, ScalarType? dtype)
    {
        var layer = new Layers.Linear(inFeatures, outFeatures, hasBias: false, device, dtype);
        using (no_grad()) nn.init.normal_(layer.weight, 0, Std);
        return layer;
    }
}
