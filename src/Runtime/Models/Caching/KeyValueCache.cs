using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Keys and values of every attention layer for the tokens a decoder has already seen, so that incremental decoding
/// runs each new token through the network once: prefill the prompt, then feed one token per step. Buffers are
/// preallocated to <see cref="Capacity"/> positions on first use (per layer, in the layer's dtype and device) and
/// written in place; the padding mask of every cached position is kept so positions and masks stay right under
/// left padding. The cache owns its tensors: dispose it when the sequence is done. One cache serves one batch of
/// sequences from start to end; it is not thread-safe.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    readonly Layer[] _layers;
    readonly Tensor _mask;           // (B, Capacity) int64, 1 = real token
    long _pending;                   // tokens of the step in progress (between BeginStep and EndStep)
    bool _mayHavePadding;            // a step came with a padding mask: from then on every step builds the full mask
    bool _disposed;

    /// <summary>Sequences in the batch.</summary>
    public long Batch { get; }

    /// <summary>Most positions the cache can hold (prompt, padding and generated tokens).</summary>
    public long Capacity { get; }

    /// <summary>Positions already cached (committed by <see cref="EndStep"/>).</summary>
    public long Length { get; private set; }

    /// <summary>Number of attention layers.</summary>
    public int Layers => _layers.Length;

    /// <summary>Creates an empty cache for <paramref name="layers"/> attention layers.</summary>
    public KeyValueCache(int layers, long batch, long capacity, Device? device = null)
    {
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), $"A cache needs at least one layer, got {layers}.");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), $"A cache needs a batch of at least one sequence, got {batch}.");
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), $"A cache needs room for at least one position, got {capacity}.");
        Batch = batch;
        Capacity = capacity;
        _mask = zeros(batch, capacity, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope();
        _layers = new Layer[layers];
        for (var i = 0; i < layers; i++) _layers[i] = new Layer(this);
    }

    /// <summary>The cache slot of layer <paramref name="index"/>.</summary>
    public Layer this[int index] => _layers[index];

    /// <summary>
    /// Starts a step of <c>T</c> new tokens whose padding mask is <paramref name="newMask"/> <c>[B, T]</c> (1 = real):
    /// records the mask and returns the new tokens' positions <c>[B, T]</c> (counting real tokens only, cached ones
    /// included) and the boolean attention mask <c>[B, 1, T, Length + T]</c> over cached and new keys. The cache takes the
    /// mask to mean padding may be present, so every later step builds the full mask too.
    /// </summary>
    public (Tensor PositionIds, Tensor AttentionMask) BeginStep(Tensor newMask)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (newMask.dim() != 2 || newMask.shape[0] != Batch)
            throw new ArgumentException($"The step's padding mask must be [batch = {Batch}, new tokens], got [{string.Join(", ", newMask.shape)}].", nameof(newMask));
        _mayHavePadding = true;
        return BeginMasked(newMask);
    }

    (Tensor PositionIds, Tensor AttentionMask) BeginMasked(Tensor newMask)
    {
        var time = newMask.shape[1];
        CheckCanBegin(time);
        using var scope = NewDisposeScope();
        _mask.narrow(1, Length, time).copy_(newMask.to_type(ScalarType.Int64));
        var previous = _mask.narrow(1, 0, Length).sum(1, keepdim: true);                              // (B, 1)
        var positions = (previous + newMask.to_type(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);      // (B, T)
        var attention = ModelDsl.Layers.PaddingMask.CachedAttentionMask(_mask.narrow(1, 0, Length + time), time); // (B, 1, T, L+T)
        _pending = time;
        return (positions.MoveToOuterDisposeScope(), attention.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Starts a step of <paramref name="time"/> new tokens that are all real (no padding). While no step has come with a
    /// padding mask, this costs one op instead of building masks: the positions are <c>Length … Length + T - 1</c> in every
    /// row <c>[B, T]</c>, and the attention mask is <see langword="null"/> (plain causal attention) when the step is the
    /// first or a single token, the steps decoding takes. Otherwise the mask is built as <see cref="BeginStep(Tensor)"/> builds
    /// it for a mask of ones.
    /// </summary>
    public (Tensor PositionIds, Tensor? AttentionMask) BeginStep(long time)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (time < 1) throw new ArgumentOutOfRangeException(nameof(time), $"A step needs at least one new token, got {time}.");
        var device = _mask.device;
        if (_mayHavePadding || (Length > 0 && time > 1))
        {
            // Several tokens after cached ones attend causally among themselves: that needs the mask.
            using var real = ones(Batch, time, dtype: ScalarType.Int64, device: device);
            return BeginMasked(real);
        }
        CheckCanBegin(time);
        using var scope = NewDisposeScope();
        _mask.narrow(1, Length, time).fill_(1);
        var positions = arange(Length, Length + time, dtype: ScalarType.Int64, device: device).unsqueeze(0).expand(Batch, time);   // (B, T)
        _pending = time;
        return (positions.MoveToOuterDisposeScope(), null);
    }

    void CheckCanBegin(long time)
    {
        if (_pending != 0) throw new InvalidOperationException("The previous cached step was not finished with EndStep.");
        if (Length + time > Capacity)
            throw new InvalidOperationException(
                $"The key/value cache holds {Length} positions and cannot take {time} more: its capacity is {Capacity}. Create a larger cache.");
    }

    /// <summary>Commits the step begun by <see cref="BeginStep(Tensor)"/>: its keys and values become part of the cache.</summary>
    public void EndStep()
    {
        if (_pending == 0) throw new InvalidOperationException("EndStep was called without BeginStep.");
        Length += _pending;
        _pending = 0;
    }

    /// <summary>Abandons a step begun by <see cref="BeginStep(Tensor)"/> (for example after a failed forward).</summary>
    public void AbortStep() => _pending = 0;

    /// <summary>Frees the cached tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var layer in _layers) layer.Release();
        _mask.Dispose();
    }

    /// <summary>The keys and values of one attention layer.</summary>
    public sealed class Layer
    {
        readonly KeyValueCache _owner;
        Tensor? _keys, _values;      // (B, KV, Capacity, hd)

        internal Layer(KeyValueCache owner) => _owner = owner;

        /// <summary>
        /// Writes the step's <paramref name="keys"/> and <paramref name="values"/> <c>[B, KV, T, hd]</c> after the cached
        /// ones and returns views of all of them, <c>[B, KV, Length + T, hd]</c>.
        /// </summary>
        public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values)
        {
            var owner = _owner;
            ObjectDisposedException.ThrowIf(owner._disposed, owner);
            var time = keys.shape[2];
            if (time != owner._pending)
                throw new InvalidOperationException($"The layer appended {time} positions but the step began with {owner._pending}; call BeginStep first.");
            if (_keys is null || _values is null)
            {
                _keys = zeros(owner.Batch, keys.shape[1], owner.Capacity, keys.shape[3], dtype: keys.dtype, device: keys.device).DetachFromDisposeScope();
                _values = zeros(owner.Batch, values.shape[1], owner.Capacity, values.shape[3], dtype: values.dtype, device: values.device).DetachFromDisposeScope();
            }
            using (no_grad())
            {
                _keys.narrow(2, owner.Length, time).copy_(keys);
                _values.narrow(2, owner.Length, time).copy_(values);
            }
            var total = owner.Length + time;
            return (_keys.narrow(2, 0, total), _values.narrow(2, 0, total));    // (B, KV, L+T, hd) each
        }

        internal void Release()
        {
            _keys?.Dispose();
            _values?.Dispose();
            _keys = _values = null;
        }
    }
}
