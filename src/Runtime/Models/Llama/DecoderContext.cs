using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// What every decoder layer of one forward pass shares: the rotary cosines and sines <c>[B, 1, T, head_dim]</c>
/// and the boolean attention mask <c>[B, 1, T, T]</c> (null for plain causal attention without padding).
/// </summary>
/// <param name="Cos">Rotary cosines.</param>
/// <param name="Sin">Rotary sines.</param>
/// <param name="AttentionMask">True where a query may attend a key; null means causal.</param>
public sealed record DecoderContext(Tensor Cos, Tensor Sin, Tensor? AttentionMask);
