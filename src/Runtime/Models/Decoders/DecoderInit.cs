using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>Hugging Face's initialisation of the decoder families: projections and embeddings N(0, 0.02), biases zero.</summary>
internal static class DecoderInit
{
    public const double Std = 0.02;

    public static Layers.Linear Linear(long inFeatures, long outFeatures, bool hasBias, Device? device, ScalarType? dtype)
    {
        var layer = new Layers.Linear(inFeatures, outFeatures, hasBias, device, dtype);
        using (no_grad())
        {
            nn.init.normal_(layer.weight, 0, Std);
            if (layer.bias is not null) nn.init.zeros_(layer.bias);
        }
        return layer;
    }
}
