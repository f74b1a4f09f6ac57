using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// What every decoder layer of one forward pass shares: the rotary cosines and sines <c>[B, 1, T, head_dim]</c> and the
/// boolean attention masks <c>[B, 1, T, S]</c> of full-attention and sliding-window layers (null for plain causal
/// attention without padding, the fast path).
/// </summary>
/// <param name="Cos">Rotary cosines.</param>
/// <param name="Sin">Rotary sines.</param>
/// <param name="AttentionMask">True where a query may attend a key in a full-attention layer; null means causal.</param>
/// <param name="SlidingMask">The same for sliding-window layers: the full mask restricted to the window (the full mask itself when the sequence fits in the window).</param>
public sealed record DecoderContext(Tensor Cos, Tensor Sin, Tensor? AttentionMask, Tensor? SlidingMask = null);
